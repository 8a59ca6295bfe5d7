#define G_LOG_DOMAIN "sextant-kb-text"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/HTMLparser.h>
#include <poppler.h>
#include <string.h>

#include "knowledge/sextant-kb-error.h"
#include "knowledge/sextant-kb-text.h"

/* The text of each kind of document. Markdown, plain text and CSV are kept as written, so a
 * cited span is the exact passage of the file; HTML keeps only what a reader sees (libxml2's
 * forgiving HTML parser, not hand parsing); PDF keeps each page's text layer (poppler) apart,
 * so that no chunk spans two pages. */

static const struct
{
  const char      *extension;
  SextantKbFormat  format;
} extensions[] = {
  { ".pdf", SEXTANT_KB_FORMAT_PDF },
  { ".md", SEXTANT_KB_FORMAT_MARKDOWN },
  { ".markdown", SEXTANT_KB_FORMAT_MARKDOWN },
  { ".txt", SEXTANT_KB_FORMAT_TEXT },
  { ".text", SEXTANT_KB_FORMAT_TEXT },
  { ".html", SEXTANT_KB_FORMAT_HTML },
  { ".htm", SEXTANT_KB_FORMAT_HTML },
  { ".csv", SEXTANT_KB_FORMAT_CSV },
};

/**
 * sextant_kb_format_from_path:
 * @path: a file name
 * @format: (out): its format
 *
 * Returns: whether the file name ends with an extension the knowledge base reads
 */
gboolean
sextant_kb_format_from_path (const char      *path,
                             SextantKbFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (lower, extensions[i].extension))
      {
        *format = extensions[i].format;
        return TRUE;
      }

  return FALSE;
}

/* Documents' texts alive at once, and the most there were: what indexing a folder holds in
 * memory is observable (it reads one document at a time, whatever the folder's size). */
static gint texts_held;
static gint texts_held_peak;

static void
note_text_held (void)
{
  gint held = g_atomic_int_add (&texts_held, 1) + 1;
  gint peak;

  while ((peak = g_atomic_int_get (&texts_held_peak)) < held &&
         !g_atomic_int_compare_and_exchange (&texts_held_peak, peak, held))
    ;
}

/**
 * sextant_kb_text_get_peak_held:
 * @reset: start a new count from the documents held now
 *
 * Returns: the most document texts held in memory at once since the last reset
 */
guint
sextant_kb_text_get_peak_held (gboolean reset)
{
  guint peak = g_atomic_int_get (&texts_held_peak);

  if (reset)
    g_atomic_int_set (&texts_held_peak, g_atomic_int_get (&texts_held));

  return peak;
}

void
sextant_kb_text_free (SextantKbText *text)
{
  if (text == NULL)
    return;
  g_atomic_int_add (&texts_held, -1);
  g_free (text->title);
  g_clear_pointer (&text->pages, g_ptr_array_unref);
  g_clear_pointer (&text->pages_without_text, g_array_unref);
  g_free (text);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static char *
markdown_title (const char *text)
{
  const char *line = text;

  while (line != NULL && *line != '\0')
    {
      const char *end = strchr (line, '\n');
      g_autofree char *copy = end != NULL ? g_strndup (line, end - line) : g_strdup (line);

      g_strstrip (copy);
      if (g_str_has_prefix (copy, "# "))
        return g_strstrip (g_strdup (copy + 2));
      line = end != NULL ? end + 1 : NULL;
    }

  return NULL;
}

static const char * const block_elements[] = {
  "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
  "section", "article", "header", "footer", "blockquote", "pre", "dt", "dd", "hr", "main", "nav",
  "aside", "figure", "figcaption", "address", "form", "td", "th",
};

static gboolean
is_block (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (block_elements); i++)
    if (g_ascii_strcasecmp (name, block_elements[i]) == 0)
      return TRUE;

  return FALSE;
}

/* Runs of white space collapse to one space, as a browser shows them; block elements end a
 * paragraph, so the chunker sees the page's paragraphs. */
static void
append_collapsed (GString    *out,
                  const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          if (out->len > 0 && !g_ascii_isspace (out->str[out->len - 1]))
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_c (out, *p);
    }
}

static void
end_paragraph (GString *out)
{
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len > 0 && !g_str_has_suffix (out->str, "\n\n"))
    g_string_append (out, out->str[out->len - 1] == '\n' ? "\n" : "\n\n");
}

static void
html_walk (xmlNode  *node,
           GString  *out,
           char    **title)
{
  for (; node != NULL; node = node->next)
    {
      const char *name = (const char *) node->name;

      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
        {
          append_collapsed (out, (const char *) node->content);
          continue;
        }
      if (node->type != XML_ELEMENT_NODE)
        continue;
      if (g_ascii_strcasecmp (name, "title") == 0)
        {
          xmlChar *content = xmlNodeGetContent (node);

          if (*title == NULL && content != NULL)
            *title = g_strstrip (g_strdup ((const char *) content));
          xmlFree (content);
          continue;
        }
      if (g_ascii_strcasecmp (name, "head") == 0)
        {
          /* The head holds the title and nothing else a reader sees. */
          g_autoptr(GString) unseen = g_string_new (NULL);

          html_walk (node->children, unseen, title);
          continue;
        }
      if (g_ascii_strcasecmp (name, "script") == 0 || g_ascii_strcasecmp (name, "style") == 0 ||
          g_ascii_strcasecmp (name, "noscript") == 0 || g_ascii_strcasecmp (name, "template") == 0)
        continue;
      if (is_block (name))
        end_paragraph (out);
      html_walk (node->children, out, title);
      if (is_block (name))
        end_paragraph (out);
    }
}

static char *
html_text (const char  *data,
           gsize        length,
           const char  *path,
           char       **title)
{
  g_autoptr(GString) out = g_string_new (NULL);
  htmlDocPtr doc;

  if (length > G_MAXINT)
    return NULL;
  doc = htmlReadMemory (data, (int) length, NULL, NULL,
                        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                        HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
  if (doc == NULL)
    return NULL;
  html_walk (xmlDocGetRootElement (doc), out, title);
  xmlFreeDoc (doc);
  end_paragraph (out);

  return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));
}

static gboolean
read_pdf_pages (PopplerDocument  *document,
                const char       *path,
                SextantKbText    *text,
                GCancellable     *cancellable,
                GError          **error)
{
  int n_pages = poppler_document_get_n_pages (document);
  char *title;

  for (int i = 0; i < n_pages; i++)
    {
      /* Poppler 22.12 declares no g_autoptr cleanup for its types. */
      PopplerPage *page = poppler_document_get_page (document, i);
      char *page_text = page != NULL ? poppler_page_get_text (page) : NULL;
      guint number = i + 1;

      g_clear_object (&page);
      if (page_text == NULL)
        page_text = g_strdup ("");
      if (is_blank (page_text))
        g_array_append_val (text->pages_without_text, number);
      g_ptr_array_add (text->pages, page_text);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (n_pages == 0 || text->pages_without_text->len == (guint) n_pages)
    {
      /* A scan: saying so beats an index that silently holds nothing of it. */
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_NO_TEXT_LAYER,
                   _("%s, page 1: no text layer (a scanned PDF needs text recognition first)"), path);
      return FALSE;
    }
  title = poppler_document_get_title (document);
  if (title != NULL && !is_blank (title))
    text->title = g_strstrip (title);
  else
    g_free (title);

  return TRUE;
}

static gboolean
extract_pdf (const char     *path,
             SextantKbText  *text,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *document;
  gboolean ok;

  /* poppler_document_new_from_file() wants a file:// URI; a GFile spares building one. */
  document = poppler_document_new_from_gfile (file, NULL, cancellable, &local_error);
  if (document == NULL)
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_READ, _("%s: not a readable PDF (%s)"),
                   path, local_error->message);
      return FALSE;
    }
  ok = read_pdf_pages (document, path, text, cancellable, error);
  g_object_unref (document);

  return ok;
}

static char *
read_text_file (const char  *path,
                gsize       *length,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, &local_error))
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_READ, _("%s: cannot be read (%s)"), path,
                   local_error->message);
      return NULL;
    }
  if (!g_utf8_validate (contents, *length, NULL))
    {
      /* Most such files are Latin-1 or Windows-1252 exports; their text is kept, not refused. */
      char *converted = g_convert (contents, *length, "UTF-8", "WINDOWS-1252", NULL, length, NULL);

      g_free (contents);
      if (converted == NULL)
        {
          g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_READ,
                       _("%s: neither UTF-8 nor Windows-1252 text"), path);
          return NULL;
        }
      contents = converted;
    }
  /* A NUL inside the text would cut it short in SQLite and in the chunker. */
  if (strlen (contents) != *length)
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_READ, _("%s: a binary file, not text"), path);
      g_free (contents);
      return NULL;
    }

  return contents;
}

/**
 * sextant_kb_text_extract:
 * @path: a PDF, Markdown, plain text, HTML or CSV file
 * @cancellable: (nullable): checked between PDF pages
 * @error: return location for a %SEXTANT_KB_ERROR naming the file (and the page)
 *
 * Returns: (transfer full) (nullable): the document's text, page by page
 */
SextantKbText *
sextant_kb_text_extract (const char    *path,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(SextantKbText) text = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  text = g_new0 (SextantKbText, 1);
  note_text_held ();
  if (!sextant_kb_format_from_path (path, &text->format))
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_UNSUPPORTED,
                   _("%s: not a kind of document Sextant reads (PDF, Markdown, text, HTML or CSV)"), path);
      return NULL;
    }
  text->pages = g_ptr_array_new_with_free_func (g_free);
  text->pages_without_text = g_array_new (FALSE, FALSE, sizeof (guint));
  if (text->format == SEXTANT_KB_FORMAT_PDF)
    {
      text->paged = TRUE;
      if (!extract_pdf (path, text, cancellable, error))
        return NULL;
    }
  else
    {
      if ((contents = read_text_file (path, &length, error)) == NULL)
        return NULL;
      if (text->format == SEXTANT_KB_FORMAT_HTML)
        {
          char *visible = html_text (contents, length, path, &text->title);

          if (visible == NULL)
            {
              g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_READ, _("%s: not readable as HTML"), path);
              return NULL;
            }
          g_ptr_array_add (text->pages, visible);
        }
      else
        {
          if (text->format == SEXTANT_KB_FORMAT_MARKDOWN)
            text->title = markdown_title (contents);
          g_ptr_array_add (text->pages, g_steal_pointer (&contents));
        }
      if (is_blank (text->pages->pdata[0]))
        {
          g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_EMPTY, _("%s: no text in it"), path);
          return NULL;
        }
    }
  if (text->title == NULL || *text->title == '\0')
    {
      g_free (text->title);
      text->title = g_path_get_basename (path);
    }

  return g_steal_pointer (&text);
}
