#define G_LOG_DOMAIN "sextant-conversation-export"

#include "config.h"

#include "agent/sextant-agent-roles.h"
#include "agent/sextant-citations.h"
#include "agent/sextant-conversation-store.h"

/* Exports of one conversation: Markdown for people (a committee pack, an e-mail) and JSON for
 * programs, with every block, state and token count. */

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m-%d %H:%M UTC");
}

static char *
format_iso (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_format_iso8601 (dt);
}

static void
markdown_block (GString  *out,
                JsonNode *block)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (block) ? json_node_get_object (block) : NULL;
  g_autofree char *json = NULL;

  if (o == NULL)
    return;
  if (json_object_has_member (o, "text"))
    g_string_append_printf (out, "%s\n\n", json_object_get_string_member (o, "text"));
  else if (json_object_has_member (o, "toolUse"))
    {
      JsonObject *use = json_object_get_object_member (o, "toolUse");

      json = json_to_string (json_object_get_member (use, "input"), FALSE);
      g_string_append_printf (out, "> Tool call `%s` with `%s`\n\n",
                              json_object_get_string_member (use, "name"), json);
    }
  else if (json_object_has_member (o, "toolResult"))
    {
      JsonObject *result = json_object_get_object_member (o, "toolResult");

      json = json_to_string (json_object_get_member (result, "content"), FALSE);
      g_string_append_printf (out, "> Tool result (%s): `%s`\n\n",
                              json_object_get_string_member_with_default (result, "status", "success"), json);
    }
}

/* After an answer that cites the knowledge base, the passages it cites, so a committee reading
 * the export can check each [n] without the documents at hand. */
static void
markdown_cited (GString   *out,
                GPtrArray *messages,
                guint      index)
{
  g_autoptr(GPtrArray) cited = sextant_citations_dup_cited_answer (messages, index);

  if (cited->len == 0)
    return;
  g_string_append (out, "**Passages cited**\n\n");
  for (guint i = 0; i < cited->len; i++)
    {
      SextantCitedPassage *passage = cited->pdata[i];
      g_autofree char *place = sextant_cited_passage_dup_place (passage);
      g_autofree char *excerpt = sextant_cited_passage_dup_excerpt (passage, 400);

      g_string_append_printf (out, "- **[%u]** ", passage->number);
      if (passage->title != NULL && passage->title[0] != '\0')
        g_string_append_printf (out, "*%s*, ", passage->title);
      if (passage->uri != NULL)
        g_string_append_printf (out, "[%s](<%s>)", place, passage->uri);
      else
        g_string_append (out, place);
      g_string_append_printf (out, ": “%s”\n", excerpt);
    }
  g_string_append_c (out, '\n');
}

/**
 * sextant_conversation_store_export_markdown:
 * @self: a store
 * @id: a conversation
 * @error: return location
 *
 * Returns: (transfer full): the conversation as Markdown: a heading, the role and model, then
 *   each message with its time, tool calls quoted, partial answers marked, and after an
 *   answer that cites the knowledge base the passages it cites (document, page, excerpt)
 */
char *
sextant_conversation_store_export_markdown (SextantConversationStore  *self,
                                            gint64                     id,
                                            GError                   **error)
{
  g_autoptr(SextantConversationInfo) info = sextant_conversation_store_get (self, id, error);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *created = NULL;

  if (info == NULL || !(messages = sextant_conversation_store_load_messages (self, id, error)))
    return NULL;
  created = format_time (info->created_at);
  g_string_append_printf (out, "# %s\n\n_Role: %s · Model: %s · Started %s_\n\n", info->title,
                          sextant_agent_role_get_name (info->role) != NULL ? sextant_agent_role_get_name (info->role) : info->role,
                          info->model != NULL ? info->model : "none (offline)", created);
  for (guint i = 0; i < messages->len; i++)
    {
      SextantStoredMessage *m = messages->pdata[i];
      g_autofree char *when = format_time (m->created_at);
      JsonArray *content = json_node_get_array (m->content);

      /* Tool results travel as user turns in Converse, but the user did not write them. */
      g_string_append_printf (out, "## %s — %s\n\n", !g_str_equal (m->role, "user") ? "Sextant"
                              : m->text[0] == '\0' ? "Tool results" : "You", when);
      for (guint b = 0; b < json_array_get_length (content); b++)
        markdown_block (out, json_array_get_element (content, b));
      if (g_str_equal (m->role, "assistant") && m->text != NULL && m->text[0] != '\0')
        markdown_cited (out, messages, i);
      if (m->state != SEXTANT_MESSAGE_COMPLETE)
        g_string_append_printf (out, "_(%s)_\n\n", m->state == SEXTANT_MESSAGE_INTERRUPTED
                                ? "interrupted: this answer is incomplete" : "failed: no answer was received");
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
json_message (JsonBuilder          *b,
              SextantStoredMessage *m)
{
  g_autofree char *created = format_iso (m->created_at);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, m->id);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, m->role);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, sextant_message_state_to_string (m->state));
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "input_tokens");
  json_builder_add_int_value (b, m->input_tokens);
  json_builder_set_member_name (b, "output_tokens");
  json_builder_add_int_value (b, m->output_tokens);
  json_builder_set_member_name (b, "content");
  json_builder_add_value (b, json_node_copy (m->content));
  json_builder_end_object (b);
}

/**
 * sextant_conversation_store_export_json:
 * @self: a store
 * @id: a conversation
 * @error: return location
 *
 * Returns: (transfer full): `{"id", "title", "role", "model", "created_at", "updated_at",
 *   "input_tokens", "output_tokens", "messages": [{"id", "role", "state", "created_at",
 *   "input_tokens", "output_tokens", "content": [Converse blocks]}]}`
 */
JsonNode *
sextant_conversation_store_export_json (SextantConversationStore  *self,
                                        gint64                     id,
                                        GError                   **error)
{
  g_autoptr(SextantConversationInfo) info = sextant_conversation_store_get (self, id, error);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created = NULL, *updated = NULL;

  if (info == NULL || !(messages = sextant_conversation_store_load_messages (self, id, error)))
    return NULL;
  created = format_iso (info->created_at);
  updated = format_iso (info->updated_at);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, info->id);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, info->title);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, info->role);
  json_builder_set_member_name (b, "model");
  if (info->model != NULL)
    json_builder_add_string_value (b, info->model);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "updated_at");
  json_builder_add_string_value (b, updated);
  json_builder_set_member_name (b, "input_tokens");
  json_builder_add_int_value (b, info->input_tokens);
  json_builder_set_member_name (b, "output_tokens");
  json_builder_add_int_value (b, info->output_tokens);
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; i < messages->len; i++)
    json_message (b, messages->pdata[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
