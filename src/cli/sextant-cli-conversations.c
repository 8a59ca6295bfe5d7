#define G_LOG_DOMAIN "sextant-cli-conversations"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-chat.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

/* `sextant-cli conversations list|show ID|search TEXT|export ID|rename ID TITLE|delete ID|
 * restore ID`: the stored chats of `ask --tools` and of the chat window. */

typedef struct
{
  char   *format;
  char   *output;
  int     limit;
} Options;

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

static gboolean
parse_id (const char  *text,
          gint64      *id,
          GError     **error)
{
  char *end = NULL;

  *id = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0' || *id <= 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "“%s” is not a conversation id (a positive number)", text);
      return FALSE;
    }

  return TRUE;
}

static int
fail (const GError *error)
{
  if (error->domain == SEXTANT_AGENT_ERROR)
    return sextant_cli_fail (SEXTANT_CLI_EXIT_INPUT, "conversations", error);

  return sextant_cli_fail (-1, "conversations", error);
}

static JsonNode *
info_json (const SextantConversationInfo *info)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created = format_time (info->created_at), *updated = format_time (info->updated_at);

  json_builder_begin_object (b);
  sextant_json_add_int (b, "id", info->id);
  sextant_json_add_string (b, "title", info->title);
  sextant_json_add_string (b, "role", info->role);
  json_builder_set_member_name (b, "model");
  if (info->model != NULL)
    json_builder_add_string_value (b, info->model);
  else
    json_builder_add_null_value (b);
  sextant_json_add_string (b, "created_at", created);
  sextant_json_add_string (b, "updated_at", updated);
  sextant_json_add_int (b, "n_messages", info->n_messages);
  sextant_json_add_int (b, "input_tokens", info->input_tokens);
  sextant_json_add_int (b, "output_tokens", info->output_tokens);
  sextant_json_add_boolean (b, "pinned", info->pinned);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static int
do_list (SextantConversationStore *store,
         SextantCliFormat          format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = sextant_conversation_store_list (store, &error);
  g_autoptr(JsonArray) array = json_array_new ();

  if (list == NULL)
    return fail (error);
  for (guint i = 0; i < list->len; i++)
    {
      SextantConversationInfo *info = list->pdata[i];
      g_autofree char *updated = format_time (info->updated_at);

      if (format == SEXTANT_CLI_FORMAT_JSON)
        json_array_add_element (array, info_json (info));
      else
        printf ("%6" G_GINT64_FORMAT "  %s  %-17s %5" G_GINT64_FORMAT " msgs  %s\n", info->id, updated,
                info->role, info->n_messages, info->title);
    }
  if (format == SEXTANT_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), array);

      sextant_cli_print_json (node);
    }
  else if (list->len == 0)
    printf ("No conversations yet. Start one with: sextant-cli ask --tools QUESTION\n");

  return SEXTANT_CLI_EXIT_OK;
}

static int
do_search (SextantConversationStore *store,
           const char               *query,
           guint                     limit,
           SextantCliFormat          format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = sextant_conversation_store_search (store, query, limit, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (hits == NULL)
    return fail (error);
  json_builder_begin_array (b);
  for (guint i = 0; i < hits->len; i++)
    {
      SextantSearchHit *hit = hits->pdata[i];

      if (format == SEXTANT_CLI_FORMAT_TEXT)
        {
          g_autofree char *line = g_strdelimit (g_strdup (hit->snippet), "\n\r\t", ' ');

          printf ("%6" G_GINT64_FORMAT "  %s\n        %s\n", hit->conversation_id, hit->title, line);
          continue;
        }
      json_builder_begin_object (b);
      sextant_json_add_int (b, "conversation_id", hit->conversation_id);
      sextant_json_add_int (b, "message_id", hit->message_id);
      sextant_json_add_string (b, "title", hit->title);
      sextant_json_add_string (b, "snippet", hit->snippet);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (format == SEXTANT_CLI_FORMAT_TEXT && hits->len == 0)
    printf ("No stored message matches “%s”\n", query);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonNode) node = json_builder_get_root (b);

      sextant_cli_print_json (node);
    }

  return SEXTANT_CLI_EXIT_OK;
}

/* show: Markdown (text) or the JSON export; export: the same to stdout or --output. */
static int
do_export (SextantConversationStore *store,
           gint64                    id,
           gboolean                  json,
           const char               *output)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (json)
    {
      g_autoptr(JsonNode) node = sextant_conversation_store_export_json (store, id, &error);

      if (node != NULL)
        text = json_to_string (node, TRUE);
    }
  else
    text = sextant_conversation_store_export_markdown (store, id, &error);
  if (text == NULL)
    return fail (error);
  /* Rows stored before text was checked at the door may hold bytes that are not UTF-8; the JSON
   * and Markdown written must be valid all the same. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      char *valid = g_utf8_make_valid (text, -1);

      g_free (text);
      text = valid;
    }
  if (output == NULL)
    {
      fputs (text, stdout);
      if (json)
        fputc ('\n', stdout);
      return SEXTANT_CLI_EXIT_OK;
    }
  if (!g_file_set_contents_full (output, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    return fail (error);
  printf ("Exported conversation %" G_GINT64_FORMAT " to %s\n", id, output);

  return SEXTANT_CLI_EXIT_OK;
}

static int
do_change (SextantConversationStore *store,
           const char               *action,
           gint64                    id,
           const char               *title)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_equal (action, "rename"))
    ok = sextant_conversation_store_rename (store, id, title, &error);
  else if (g_str_equal (action, "delete"))
    ok = sextant_conversation_store_delete (store, id, &error);
  else if (g_str_equal (action, "pin") || g_str_equal (action, "unpin"))
    ok = sextant_conversation_store_set_pinned (store, id, g_str_equal (action, "pin"), &error);
  else
    ok = sextant_conversation_store_undelete (store, id, &error);
  if (!ok)
    return fail (error);
  /* say what was done, as `portfolio rename` does: a script sees an answer, not silence */
  if (g_str_equal (action, "rename"))
    printf ("Renamed conversation %" G_GINT64_FORMAT " to “%s”\n", id, title);
  else
    printf ("%s conversation %" G_GINT64_FORMAT "\n",
            g_str_equal (action, "delete") ? "Deleted" : "Restored", id);
  if (g_str_equal (action, "delete"))
    fprintf (stderr, "Conversation %" G_GINT64_FORMAT " deleted; undo with: sextant-cli conversations restore %"
             G_GINT64_FORMAT "\n", id, id);

  return SEXTANT_CLI_EXIT_OK;
}

/* Which arguments each action takes after its name. */
static gboolean
check_arity (const char  *action,
             int          argc,
             GError     **error)
{
  const struct { const char *name; int min, max; } actions[] = {
    { "list", 0, 0 }, { "show", 1, 1 }, { "search", 1, G_MAXINT }, { "export", 1, 1 },
    { "rename", 2, G_MAXINT }, { "delete", 1, 1 }, { "restore", 1, 1 }, { "pin", 1, 1 }, { "unpin", 1, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (action, actions[i].name))
      {
        if (argc >= actions[i].min && argc <= actions[i].max)
          return TRUE;
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "“%s” takes %s", action,
                     actions[i].min == 0 ? "no arguments" : actions[i].min == 2 ? "an ID and a TITLE" :
                     actions[i].max == 1 ? "one conversation ID" : "search words");
        return FALSE;
      }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "unknown action “%s”; use list, show, search, export, rename, delete, restore, pin or unpin", action);

  return FALSE;
}

static int
run (const char       *action,
     int               argc,
     char            **argv,
     Options          *o,
     GOptionContext   *context)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantConversationStore) conversations = NULL;
  g_autoptr(GError) error = NULL;
  gboolean export = g_str_equal (action, "export");
  gboolean markdown = export && g_strcmp0 (o->format, "markdown") == 0;
  SextantCliFormat format = SEXTANT_CLI_FORMAT_TEXT;
  gint64 id = 0;

  if (!check_arity (action, argc, &error))
    return sextant_cli_usage_error (context, "conversations", error->message);
  if (o->output != NULL && !export)
    return sextant_cli_usage_error (context, "conversations", "--output goes with export");
  if (o->output != NULL && *o->output == '\0')
    return sextant_cli_usage_error (context, "conversations", "--output needs a file name");
  if (!markdown && !sextant_cli_parse_format (o->format, (1u << SEXTANT_CLI_FORMAT_TEXT) | (1u << SEXTANT_CLI_FORMAT_JSON),
                                              &format, &error))
    return sextant_cli_usage_error (context, "conversations", export ? "export takes --format markdown or json"
                                                                      : error->message);
  if (export && !markdown && format != SEXTANT_CLI_FORMAT_JSON)
    return sextant_cli_usage_error (context, "conversations", "export takes --format markdown or json");
  if (!g_str_equal (action, "list") && !g_str_equal (action, "search") && !parse_id (argv[0], &id, &error))
    return sextant_cli_usage_error (context, "conversations", error->message);
  if (!(store = sextant_cli_open_agent_store (&error)))
    return sextant_cli_fail (-1, "conversations", error);
  conversations = sextant_conversation_store_new (store);

  if (g_str_equal (action, "list"))
    return do_list (conversations, format);
  if (g_str_equal (action, "search"))
    {
      g_autofree char *query = g_strjoinv (" ", argv);

      if (query[strspn (query, " \t\r\n")] == '\0')
        return sextant_cli_usage_error (context, "conversations", "search needs words to look for");

      return do_search (conversations, query, o->limit, format);
    }
  if (g_str_equal (action, "show") || export)
    return do_export (conversations, id, format == SEXTANT_CLI_FORMAT_JSON, o->output);
  {
    g_autofree char *title = argc > 1 ? g_strjoinv (" ", argv + 1) : NULL;

    return do_change (conversations, action, id, title);
  }
}

int
sextant_cli_conversations_main (int    argc,
                                char **argv)
{
  Options o = { NULL, NULL, 20 };
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &o.format, "text or json (export: markdown or json)", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, "export: write to FILE instead of stdout", "FILE" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &o.limit, "search: the most hits (default 20)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("list | show ID | search TEXT | export ID | rename ID TITLE | delete ID | restore ID | "
                          "pin ID | unpin ID");
  int exit_code;

  g_option_context_set_summary (context, "Stored conversations with the assistant.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, "conversations", &exit_code))
    return exit_code;
  if (argc < 2)
    exit_code = sextant_cli_usage_error (context, "conversations", "an action is required");
  else if (o.limit < 1)
    exit_code = sextant_cli_usage_error (context, "conversations", "--limit must be at least 1");
  else
    exit_code = run (argv[1], argc - 2, argv + 2, &o, context);
  g_free (o.format);
  g_free (o.output);

  return exit_code;
}
