#define G_LOG_DOMAIN "sextant-cli-info"

#include "config.h"

#include <stdio.h>

#include "sextant-core.h"
#include "sextant-cli-commands.h"
#include "sextant-cli-common.h"

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

int
sextant_cli_info_main (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantWorkspace) workspace = sextant_workspace_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *db_path = sextant_data_dirs_dup_database_path ();
  g_autofree char *state = sextant_data_dirs_dup_state ();
  g_autofree char *store_status = NULL;
  g_autofree char *demo_status = NULL;
  SextantCliFormat format;
  int exit_code;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "Output format: text or json", "FORMAT" },
    { NULL }
  };

  context = g_option_context_new ("— where Sextant keeps its data, and whether it is usable");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, "info", &exit_code))
    return exit_code;
  if (!sextant_cli_parse_format (format_text, 1 << SEXTANT_CLI_FORMAT_TEXT | 1 << SEXTANT_CLI_FORMAT_JSON,
                                 &format, &error))
    return sextant_cli_usage_error (context, "info", error->message);

  store = sextant_schema_open (db_path, &error);
  store_status = store != NULL ? g_strdup_printf ("ok, schema version %d",
                                                  sextant_store_get_schema_version (store))
                               : g_strdup (error->message);
  g_clear_error (&error);
  demo_status = sextant_workspace_load_demo (workspace, &error)
                ? g_strdup_printf ("ok, %zu index bars, %zu stocks",
                                   sextant_price_series_get_length (sextant_workspace_get_index (workspace)),
                                   sextant_price_table_get_n_columns (sextant_workspace_get_stocks (workspace)))
                : g_strdup (error->message);

  json_builder_begin_object (builder);
  add_string (builder, "version", PACKAGE_VERSION);
  add_string (builder, "bundled_data_dir", sextant_data_dirs_get_bundled ());
  add_string (builder, "database", db_path);
  add_string (builder, "database_status", store_status);
  add_string (builder, "state_dir", state);
  add_string (builder, "demo_data", demo_status);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  if (format == SEXTANT_CLI_FORMAT_JSON)
    sextant_cli_print_json (root);
  else
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        printf ("%-17s %s\n", (const char *) l->data,
                json_object_get_string_member (object, l->data));
    }

  return store != NULL ? SEXTANT_CLI_EXIT_OK : SEXTANT_CLI_EXIT_STORAGE;
}
