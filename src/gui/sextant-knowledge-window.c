#define G_LOG_DOMAIN "sextant-knowledge-window"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "sextant-knowledge-window.h"

/* The knowledge base's window: the documents with their passage counts (remove one with its
 * button), Add Files… or files dropped on the window, indexed by SextantKbIndexer in a worker
 * with a progress bar and Cancel, and a search box showing the passages found, each with its
 * citation (document, page) and score. Searching runs in a thread too: online, the question is
 * embedded over the network first. */

struct _SextantKnowledgeWindow
{
  AdwWindow             parent_instance;

  GtkWidget            *content_box;
  GtkWidget            *progress_box;
  GtkProgressBar       *progress_bar;
  GtkLabel             *status_label;
  GtkListBox           *document_list;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *tag_filter;
  GtkStringList        *tag_list;    /* “All documents”, then the tags */
  GtkListBox           *result_list;

  SextantKbStore       *kb;
  SextantBedrockClient *client;
  GCancellable         *indexing;
  GCancellable         *searching;
  GPtrArray            *results;     /* SextantKbPassage shown */
  guint                 n_documents;
  gboolean              refreshing_tags;
  GtkFileChooserNative *chooser;
};

enum { PROP_0, PROP_KB, PROP_CLIENT, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantKnowledgeWindow, sextant_knowledge_window, ADW_TYPE_WINDOW)

static void
remove_clicked_cb (GtkButton              *button,
                   SextantKnowledgeWindow *self);
static void
tags_activate_cb (GtkEntry               *entry,
                  SextantKnowledgeWindow *self);

/* The tag the search is limited to, or %NULL for all documents. */
static const char *
selected_tag (SextantKnowledgeWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->tag_filter);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;

  return gtk_string_list_get_string (self->tag_list, selected);
}

/* The filter offers every tag a document carries; the one chosen stays chosen while it exists. */
static void
refresh_tags (SextantKnowledgeWindow *self)
{
  g_autofree char *chosen = g_strdup (selected_tag (self));
  g_auto(GStrv) tags = sextant_kb_store_list_tags (self->kb, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tag_list));
  guint selected = 0;
  g_autoptr(GStrvBuilder) items = g_strv_builder_new ();
  g_auto(GStrv) strings = NULL;

  g_strv_builder_add (items, _("All documents"));
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_strv_builder_add (items, tags[i]);
      if (chosen != NULL && g_utf8_collate (tags[i], chosen) == 0)
        selected = i + 1;
    }
  strings = g_strv_builder_end (items);
  self->refreshing_tags = TRUE;
  gtk_string_list_splice (self->tag_list, 0, n, (const char * const *) strings);
  gtk_drop_down_set_selected (self->tag_filter, selected);
  self->refreshing_tags = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->tag_filter), g_strv_length (strings) > 1);
}

/* A document's tags, edited in a popover: its entry holds them separated by commas. */
static GtkWidget *
tags_button_new (SextantKnowledgeWindow  *self,
                 const SextantKbDocument *document)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *entry = gtk_entry_new ();
  g_autofree char *tags = g_strjoinv (", ", document->tags);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-edit-symbolic");
  gtk_widget_set_tooltip_text (button, _("Tags: search only the documents with one"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_editable_set_text (GTK_EDITABLE (entry), tags);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Tags, separated by commas"));
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 30);
  g_object_set_data_full (G_OBJECT (entry), "path", g_strdup (document->path), g_free);
  g_signal_connect (entry, "activate", G_CALLBACK (tags_activate_cb), self);
  gtk_popover_set_child (GTK_POPOVER (popover), entry);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);

  return button;
}

static void
refresh_documents (SextantKnowledgeWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = sextant_kb_store_list (self->kb, &error);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->document_list))) != NULL)
    gtk_list_box_remove (self->document_list, child);
  refresh_tags (self);
  self->n_documents = documents != NULL ? documents->len : 0;
  if (documents == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  for (guint i = 0; i < documents->len; i++)
    {
      SextantKbDocument *document = documents->pdata[i];
      g_autofree char *name = g_path_get_basename (document->path);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      if (document->n_pages > 0)
        /* Translators: a document's file name, its passages and pages */
        subtitle = g_strdup_printf (ngettext ("%s · %" PRId64 " passage · %u pages",
                                              "%s · %" PRId64 " passages · %u pages",
                                              (unsigned long) document->n_chunks),
                                    name, document->n_chunks, document->n_pages);
      else
        /* Translators: a document's file name and its passages */
        subtitle = g_strdup_printf (ngettext ("%s · %" PRId64 " passage", "%s · %" PRId64 " passages",
                                              (unsigned long) document->n_chunks),
                                    name, document->n_chunks);
      if (document->tags[0] != NULL)
        {
          g_autofree char *tags = g_strjoinv (", ", document->tags);
          g_autofree char *counts = g_steal_pointer (&subtitle);

          /* Translators: a document's file name and counts, then its tags */
          subtitle = g_strdup_printf (_("%s · tags: %s"), counts, tags);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), document->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (row, document->path);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove from the knowledge base"));
      g_object_set_data_full (G_OBJECT (remove), "path", g_strdup (document->path), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tags_button_new (self, document));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->document_list, row);
    }
  if (documents->len == 0 && gtk_label_get_text (self->status_label)[0] == '\0')
    gtk_label_set_text (self->status_label, _("No documents yet. Add PDF, Markdown, text, HTML or CSV files, or drop "
                                              "them on this window; the assistant then cites them."));
}

static void
remove_clicked_cb (GtkButton              *button,
                   SextantKnowledgeWindow *self)
{
  const char *path = g_object_get_data (G_OBJECT (button), "path");
  g_autoptr(GError) error = NULL;
  gint64 id = sextant_kb_store_find_document (self->kb, path, &error);

  if (id == 0 || !sextant_kb_store_remove (self->kb, id, &error))
    gtk_label_set_text (self->status_label, error->message);
  refresh_documents (self);
}

static void
tags_activate_cb (GtkEntry               *entry,
                  SextantKnowledgeWindow *self)
{
  const char *path = g_object_get_data (G_OBJECT (entry), "path");
  g_auto(GStrv) tags = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (entry)), ",", -1);
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (entry), GTK_TYPE_POPOVER);
  g_autoptr(GError) error = NULL;
  gint64 id = sextant_kb_store_find_document (self->kb, path, &error);

  /* A wrong tag keeps the popover open with the text, so it can be corrected. */
  if (id == 0 || !sextant_kb_store_set_tags (self->kb, id, (const char * const *) tags, &error))
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_label_set_text (self->status_label, "");
  refresh_documents (self);
}

static void
progress_cb (SextantKbIndexer       *indexer,
             const char             *phase,
             const char             *path,
             guint                   done,
             guint                   total,
             SextantKnowledgeWindow *self)
{
  g_autofree char *text = NULL;

  if (total == 0)
    return;
  if (g_str_equal (phase, "reading"))
    {
      g_autofree char *name = path != NULL ? g_path_get_basename (path) : g_strdup ("");

      /* Translators: files read so far, files to read, and the file being read */
      text = g_strdup_printf (_("Reading %u of %u: %s"), MIN (done + 1, total), total, name);
    }
  else
    /* Translators: passages embedded so far and passages to embed */
    text = g_strdup_printf (_("Embedding passage %u of %u"), done, total);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
indexed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SextantKnowledgeWindow) self = user_data;
  g_autoptr(SextantKbReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) status = g_string_new (NULL);

  report = sextant_kb_indexer_add_finish (SEXTANT_KB_INDEXER (object), result, &error);
  g_clear_object (&self->indexing);
  gtk_widget_set_visible (self->progress_box, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.add-files", TRUE);
  if (report == NULL)
    g_string_append (status, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _("Indexing cancelled.")
                                                                                        : error->message);
  else
    {
      /* Translators: counts of files indexed, unchanged and skipped */
      g_string_append_printf (status, _("%u indexed, %u unchanged, %u skipped."), report->n_indexed,
                              report->n_unchanged, report->n_failed);
      for (guint i = 0; i < report->files->len; i++)
        {
          SextantKbFileReport *file = report->files->pdata[i];

          if (file->error != NULL || file->note != NULL)
            g_string_append_printf (status, "\n%s", file->error != NULL ? file->error : file->note);
        }
      if (report->embedding_error != NULL)
        /* Translators: %s says why embedding stopped */
        g_string_append_printf (status, _("\nEmbedding stopped (%s): the rest is found by keyword until the next add."),
                                report->embedding_error);
      else if (self->client == NULL)
        g_string_append (status, _("\nNo Amazon Bedrock connection: found by keyword search only."));
    }
  gtk_label_set_text (self->status_label, status->str);
  refresh_documents (self);
}

/**
 * sextant_knowledge_window_add_paths:
 * @self: a window
 * @paths: (array zero-terminated=1): files and folders
 *
 * Indexes them in a worker, showing progress; a second call while one runs is ignored.
 */
void
sextant_knowledge_window_add_paths (SextantKnowledgeWindow *self,
                                    const char * const     *paths)
{
  g_autoptr(SextantKbIndexer) indexer = NULL;
  g_autofree char *model = NULL;
  guint dims = 0;

  g_return_if_fail (SEXTANT_IS_KNOWLEDGE_WINDOW (self));

  if (self->indexing != NULL || paths == NULL || paths[0] == NULL)
    return;
  indexer = sextant_kb_indexer_new (self->kb);
  sextant_kb_store_get_embedding (self->kb, &model, &dims);
  sextant_kb_indexer_set_embedder (indexer, self->client, model, dims > 0 ? dims : 1024);
  g_signal_connect_object (indexer, "progress", G_CALLBACK (progress_cb), self, 0);
  self->indexing = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_label_set_text (self->status_label, "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.add-files", FALSE);
  sextant_kb_indexer_add_async (indexer, paths, self->indexing, indexed_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog        *dialog,
                     int                     response,
                     SextantKnowledgeWindow *self)
{
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          char *path = g_file_get_path (file);

          if (path != NULL)
            g_ptr_array_add (paths, path);
        }
      g_ptr_array_add (paths, NULL);
      sextant_knowledge_window_add_paths (self, (const char * const *) paths->pdata);
    }
  g_clear_object (&self->chooser);
}

static void
add_files_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SextantKnowledgeWindow *self = SEXTANT_KNOWLEDGE_WINDOW (widget);

  /* Through the portal when sandboxed, so no file system access is needed. */
  self->chooser = gtk_file_chooser_native_new (_("Add Documents"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Add"), NULL);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SextantKnowledgeWindow *self = SEXTANT_KNOWLEDGE_WINDOW (widget);

  if (self->indexing != NULL)
    g_cancellable_cancel (self->indexing);
}

static gboolean
drop_cb (GtkDropTarget          *target,
         const GValue           *value,
         double                  x,
         double                  y,
         SextantKnowledgeWindow *self)
{
  GSList *files = g_value_get_boxed (value);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (GSList *l = files; l != NULL; l = l->next)
    {
      char *path = g_file_get_path (l->data);

      if (path != NULL)
        g_ptr_array_add (paths, path);
    }
  g_ptr_array_add (paths, NULL);
  sextant_knowledge_window_add_paths (self, (const char * const *) paths->pdata);

  return paths->len > 1;
}

typedef struct
{
  char *text;
  char *tag;
} SearchRequest;

static void
search_request_free (SearchRequest *request)
{
  g_free (request->text);
  g_free (request->tag);
  g_free (request);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SextantKbSearcher *searcher = source_object;
  const SearchRequest *request = task_data;
  GError *error = NULL;
  SextantKbResults *results = sextant_kb_searcher_search_tagged (searcher, request->text, 0, request->tag, 10, FALSE,
                                                                 cancellable, &error);

  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) sextant_kb_results_free);
}

static GtkWidget *
passage_row (const SextantKbPassage *passage,
             guint                   number)
{
  g_autofree char *name = g_path_get_basename (passage->path);
  g_autofree char *citation = passage->page > 0
    /* Translators: a citation: its number, the document's file name, the page, the score */
    ? g_strdup_printf (_("[%u] %s, page %u (score %.3g)"), number, name, passage->page, passage->score)
    /* Translators: a citation: its number, the document's file name, the score */
    : g_strdup_printf (_("[%u] %s (score %.3g)"), number, name, passage->score);
  g_autofree char *file_uri = g_filename_to_uri (passage->path, NULL, NULL);
  g_autofree char *uri = file_uri == NULL ? NULL : passage->page > 0 ? g_strdup_printf ("%s#page=%u", file_uri, passage->page)
                                                                     : g_strdup (file_uri);
  g_autofree char *markup = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (passage->text);

  /* The citation opens the document (at its page, where the viewer reads #page). */
  if (uri != NULL)
    markup = g_markup_printf_escaped ("<a href=\"%s\">%s</a>", uri, citation);
  else
    markup = g_markup_escape_text (citation, -1);
  gtk_label_set_markup (GTK_LABEL (heading), markup);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_tooltip_text (box, passage->path);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), text);

  return box;
}

static void
searched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SextantKnowledgeWindow) self = user_data;
  g_autoptr(SextantKbResults) results = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  results = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result_list))) != NULL)
    gtk_list_box_remove (self->result_list, child);
  g_ptr_array_set_size (self->results, 0);
  if (results == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  for (guint i = 0; i < results->passages->len; i++)
    {
      SextantKbPassage *passage = results->passages->pdata[i];

      g_ptr_array_add (self->results, sextant_kb_passage_copy (passage));
      gtk_list_box_append (self->result_list, passage_row (passage, i + 1));
    }
  if (!results->hybrid)
    gtk_label_set_text (self->status_label, results->offline_reason != NULL ? results->offline_reason
                                                                            : _("Keyword search only."));
  else
    gtk_label_set_text (self->status_label, "");
}

static void
search_changed_cb (SextantKnowledgeWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(SextantKbSearcher) searcher = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *model = NULL;
  SearchRequest *request;
  guint dims = 0;

  if (self->refreshing_tags)
    return;
  g_cancellable_cancel (self->searching);
  g_clear_object (&self->searching);
  if (text[0] == '\0')
    return;
  sextant_kb_store_get_embedding (self->kb, &model, &dims);
  searcher = sextant_kb_searcher_new (self->kb, self->client, model, dims > 0 ? dims : 1024);
  self->searching = g_cancellable_new ();
  task = g_task_new (searcher, self->searching, searched_cb, g_object_ref (self));
  request = g_new0 (SearchRequest, 1);
  request->text = g_strdup (text);
  request->tag = g_strdup (selected_tag (self));
  g_task_set_task_data (task, request, (GDestroyNotify) search_request_free);
  g_task_run_in_thread (task, search_thread);
}

/**
 * sextant_knowledge_window_new:
 * @kb: the knowledge base
 * @client: (nullable): a Bedrock client for embeddings, %NULL for keyword search only
 *
 * Returns: (transfer full): the window
 */
SextantKnowledgeWindow *
sextant_knowledge_window_new (SextantKbStore       *kb,
                              SextantBedrockClient *client)
{
  return g_object_new (SEXTANT_TYPE_KNOWLEDGE_WINDOW, "kb", kb, "client", client, NULL);
}

gboolean
sextant_knowledge_window_get_busy (SextantKnowledgeWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_KNOWLEDGE_WINDOW (self), FALSE);

  return self->indexing != NULL;
}

guint
sextant_knowledge_window_get_n_documents (SextantKnowledgeWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_KNOWLEDGE_WINDOW (self), 0);

  return self->n_documents;
}

/**
 * sextant_knowledge_window_get_results:
 *
 * Returns: (transfer none) (element-type SextantKbPassage): the passages shown, best first
 */
GPtrArray *
sextant_knowledge_window_get_results (SextantKnowledgeWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_KNOWLEDGE_WINDOW (self), NULL);

  return self->results;
}

const char *
sextant_knowledge_window_get_status (SextantKnowledgeWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_KNOWLEDGE_WINDOW (self), NULL);

  return gtk_label_get_text (self->status_label);
}

static void
sextant_knowledge_window_constructed (GObject *object)
{
  SextantKnowledgeWindow *self = SEXTANT_KNOWLEDGE_WINDOW (object);
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  G_OBJECT_CLASS (sextant_knowledge_window_parent_class)->constructed (object);

  g_assert (self->kb != NULL);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (self->content_box, GTK_EVENT_CONTROLLER (drop));
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->tag_filter, "notify::selected", G_CALLBACK (search_changed_cb), self);
  refresh_documents (self);
}

static void
sextant_knowledge_window_dispose (GObject *object)
{
  SextantKnowledgeWindow *self = SEXTANT_KNOWLEDGE_WINDOW (object);

  if (self->indexing != NULL)
    g_cancellable_cancel (self->indexing);
  if (self->searching != NULL)
    g_cancellable_cancel (self->searching);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_KNOWLEDGE_WINDOW);
  g_clear_object (&self->kb);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sextant_knowledge_window_parent_class)->dispose (object);
}

static void
sextant_knowledge_window_finalize (GObject *object)
{
  SextantKnowledgeWindow *self = SEXTANT_KNOWLEDGE_WINDOW (object);

  g_clear_object (&self->indexing);
  g_clear_object (&self->searching);
  g_ptr_array_unref (self->results);

  G_OBJECT_CLASS (sextant_knowledge_window_parent_class)->finalize (object);
}

static void
sextant_knowledge_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  SextantKnowledgeWindow *self = SEXTANT_KNOWLEDGE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KB:
      self->kb = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_knowledge_window_class_init (SextantKnowledgeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sextant_knowledge_window_constructed;
  object_class->dispose = sextant_knowledge_window_dispose;
  object_class->finalize = sextant_knowledge_window_finalize;
  object_class->set_property = sextant_knowledge_window_set_property;

  properties [PROP_KB] =
    g_param_spec_object ("kb", NULL, NULL, SEXTANT_TYPE_KB_STORE,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, SEXTANT_TYPE_BEDROCK_CLIENT,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "sextant-knowledge-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantKnowledgeWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, SextantKnowledgeWindow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, SextantKnowledgeWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SextantKnowledgeWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, SextantKnowledgeWindow, document_list);
  gtk_widget_class_bind_template_child (widget_class, SextantKnowledgeWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SextantKnowledgeWindow, tag_filter);
  gtk_widget_class_bind_template_child (widget_class, SextantKnowledgeWindow, tag_list);
  gtk_widget_class_bind_template_child (widget_class, SextantKnowledgeWindow, result_list);
  gtk_widget_class_install_action (widget_class, "knowledge.add-files", NULL, add_files_action);
  gtk_widget_class_install_action (widget_class, "knowledge.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "knowledge.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "knowledge.add-files", NULL);
}

static void
sextant_knowledge_window_init (SextantKnowledgeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_kb_passage_free);
}
