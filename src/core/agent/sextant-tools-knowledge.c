#define G_LOG_DOMAIN "sextant-tools-knowledge"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "agent/sextant-agent-error.h"
#include "agent/sextant-tools-private.h"
#include "knowledge/sextant-kb-error.h"

/* `search_knowledge_base`: the desk's own documents (issue 16). Each passage goes back with a
 * number, its document, page and character span, so the model can cite it as [n] and the
 * citation can open the exact passage. Offline (no client, or no embeddings) the same search
 * runs on keywords alone and the result says so. */

static JsonNode *
search_knowledge_base (SextantToolData  *data,
                       JsonObject       *input,
                       GCancellable     *cancellable,
                       GError          **error)
{
  g_autoptr(SextantKbSearcher) searcher = sextant_tool_data_dup_knowledge (data);
  g_autoptr(SextantKbResults) results = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *query = json_object_get_string_member (input, "query");
  const char *document = json_object_get_string_member_with_default (input, "document", NULL);
  const char *tag = json_object_get_string_member_with_default (input, "tag", NULL);
  guint top_k = _tool_get_uint (input, "top_k", 5);
  gint64 document_id = 0;

  if (searcher == NULL)
    {
      g_set_error_literal (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA,
                           _("No knowledge base is open"));
      return NULL;
    }
  if (document != NULL &&
      (document_id = sextant_kb_store_find_document (sextant_kb_searcher_get_store (searcher), document, error)) == 0)
    return NULL;
  if ((results = sextant_kb_searcher_search_tagged (searcher, query, document_id, tag, top_k, FALSE, cancellable,
                                                     error)) == NULL)
    return NULL;
  json_builder_begin_object (b);
  sextant_json_add_string (b, "search", results->hybrid ? "hybrid (embeddings and keywords)" : "keywords only (bm25), offline");
  if (results->offline_reason != NULL)
    sextant_json_add_string (b, "note", results->offline_reason);
  json_builder_set_member_name (b, "passages");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->passages->len; i++)
    {
      SextantKbPassage *passage = results->passages->pdata[i];
      g_autofree char *name = g_path_get_basename (passage->path);
      g_autofree char *file_uri = g_filename_to_uri (passage->path, NULL, NULL);
      g_autofree char *uri = NULL;

      /* What a citation link opens: the file, at its page where the viewer understands #page. */
      if (file_uri != NULL)
        uri = passage->page > 0 ? g_strdup_printf ("%s#page=%u", file_uri, passage->page) : g_strdup (file_uri);

      json_builder_begin_object (b);
      sextant_json_add_int (b, "id", i + 1);
      sextant_json_add_string (b, "document", name);
      sextant_json_add_string (b, "title", passage->title);
      json_builder_set_member_name (b, "page");
      if (passage->page > 0)
        json_builder_add_int_value (b, passage->page);
      else
        json_builder_add_null_value (b);
      sextant_json_add_int (b, "start", passage->char_start);
      sextant_json_add_int (b, "end", passage->char_end);
      sextant_json_add_string (b, "text", passage->text);
      if (uri != NULL)
        sextant_json_add_string (b, "uri", uri);
      json_builder_set_member_name (b, "score");
      json_builder_add_double_value (b, passage->score);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  sextant_json_add_string (b, "cite_as", results->passages->len > 0
                                         ? "Cite each passage you use as a Markdown link [[id]](<uri>), which opens it, and "
                                           "name its document and page."
                                         : "No passage matches: say that the documents do not answer this.");
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

void
_sextant_tools_register_knowledge (SextantToolRegistry *self)
{
  g_autoptr(SextantTool) tool =
    sextant_tool_new ("search_knowledge_base",
                      "Search the desk's own documents (investment policy, research, risk manuals, minutes) for "
                      "passages that answer a question. Returns numbered passages with their document, page and "
                      "text; cite the ones you use as [1], [2] and say which documents the answer rests on.",
                      "{\"type\":\"object\",\"properties\":{"
                      "\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":2000,"
                      "\"description\":\"The question or the words to look for\"},"
                      "\"top_k\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":20,\"description\":\"Passages to return (default 5)\"},"
                      "\"document\":{\"type\":\"string\",\"minLength\":1,"
                      "\"description\":\"Only this document: its file name or path\"},"
                      "\"tag\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":64,"
                      "\"description\":\"Only documents carrying this tag (such as policy or research)\"}},"
                      "\"required\":[\"query\"],\"additionalProperties\":false}",
                      search_knowledge_base);

  sextant_tool_registry_add (self, tool);
}
