#define G_LOG_DOMAIN "sextant-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "agent/sextant-conversation-store.h"
#include "base/sextant-json-util.h"
#include "base/sextant-tar-writer.h"
#include "knowledge/sextant-kb-store.h"
#include "market/sextant-portfolio-store.h"
#include "workspace/sextant-export.h"

/* The export of everything (issue 19): one .tar.gz a user reads without Sextant, in open
 * formats. Under one folder named by the time of the export:
 *
 *   README.txt                      what is where
 *   conversations/index.json        every conversation: id, title, role, model, times, pinned
 *   conversations/NNNN-title.md     each conversation as Markdown (what `conversations export` writes)
 *   conversations/NNNN-title.json   the same as JSON, tool calls and results included
 *   portfolios/portfolios.json      every portfolio with its holdings
 *   portfolios/holdings.csv         one row per holding
 *   results/results.json            every saved result with its parameters and inputs
 *   results/results.csv             one row per result, the JSON parts as text
 *   knowledge-base/documents.json   the documents of the knowledge base (not their text)
 *   knowledge-base/documents.csv
 *   settings.json                   the preferences (no keys: those stay in the keyring)
 *
 * The history is opened with its key, so the archive holds clear text: it is written 0600. */

typedef struct
{
  SextantTarWriter    *tar;
  char                *folder;
  gint64               now;
  SextantExportCounts  counts;
} Export;

static gboolean
add_text (Export      *export,
          const char  *name,
          const char  *text,
          GError     **error)
{
  g_autofree char *path = g_build_path ("/", export->folder, name, NULL);

  export->counts.files++;

  return sextant_tar_writer_add (export->tar, path, text, strlen (text), export->now, error);
}

static gboolean
add_json (Export      *export,
          const char  *name,
          JsonNode    *node,
          GError     **error)
{
  g_autofree char *text = json_to_string (node, TRUE);
  g_autofree char *line = g_strconcat (text, "\n", NULL);

  return add_text (export, name, line, error);
}

/* RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
static void
csv_field (GString    *out,
           const char *value,
           gboolean    last)
{
  if (value == NULL)
    value = "";
  if (strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, value);
  g_string_append (out, last ? "\r\n" : ",");
}

static void
csv_number (GString *out,
            double   value,
            gboolean last)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  csv_field (out, isfinite (value) ? g_ascii_dtostr (buffer, sizeof buffer, value) : "", last);
}

static void
csv_int (GString *out,
         gint64   value,
         gboolean last)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  csv_field (out, text, last);
}

static char *
iso_time (gint64 seconds)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (seconds);

  return when != NULL ? g_date_time_format_iso8601 (when) : g_strdup ("");
}

/* A file name from a title: ASCII letters and digits, the rest one '-', at most 40. */
static char *
slug (const char *title)
{
  GString *out = g_string_new (NULL);

  for (const char *p = title != NULL ? title : ""; *p != '\0' && out->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (out->len > 0 && out->str[out->len - 1] != '-')
        g_string_append_c (out, '-');
    }
  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "conversation");

  return g_string_free (out, FALSE);
}

static gboolean
export_conversations (Export        *export,
                      SextantStore  *store,
                      GError       **error)
{
  g_autoptr(SextantConversationStore) conversations = sextant_conversation_store_new (store);
  g_autoptr(GPtrArray) list = sextant_conversation_store_list (conversations, error);
  g_autoptr(JsonBuilder) index = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (list == NULL)
    return FALSE;
  json_builder_begin_array (index);
  for (guint i = 0; i < list->len; i++)
    {
      SextantConversationInfo *info = g_ptr_array_index (list, i);
      g_autofree char *base = slug (info->title);
      g_autofree char *md_name = g_strdup_printf ("conversations/%04" G_GINT64_FORMAT "-%s.md", info->id, base);
      g_autofree char *json_name = g_strdup_printf ("conversations/%04" G_GINT64_FORMAT "-%s.json", info->id, base);
      g_autofree char *markdown = sextant_conversation_store_export_markdown (conversations, info->id, error);
      g_autoptr(JsonNode) json = markdown != NULL ? sextant_conversation_store_export_json (conversations, info->id, error)
                                                  : NULL;
      g_autofree char *created = iso_time (info->created_at / G_USEC_PER_SEC);
      g_autofree char *updated = iso_time (info->updated_at / G_USEC_PER_SEC);

      if (json == NULL || !add_text (export, md_name, markdown, error) || !add_json (export, json_name, json, error))
        return FALSE;
      json_builder_begin_object (index);
      sextant_json_add_int (index, "id", info->id);
      sextant_json_add_string (index, "title", info->title);
      sextant_json_add_string (index, "role", info->role);
      sextant_json_add_string (index, "model", info->model);
      sextant_json_add_string (index, "created_at", created);
      sextant_json_add_string (index, "updated_at", updated);
      sextant_json_add_int (index, "messages", info->n_messages);
      sextant_json_add_boolean (index, "pinned", info->pinned);
      sextant_json_add_string (index, "markdown", md_name + strlen ("conversations/"));
      sextant_json_add_string (index, "json", json_name + strlen ("conversations/"));
      json_builder_end_object (index);
      export->counts.conversations++;
    }
  json_builder_end_array (index);
  root = json_builder_get_root (index);

  return add_json (export, "conversations/index.json", root, error);
}

static void
holding_json (JsonBuilder          *b,
              const SextantHolding *h)
{
  json_builder_begin_object (b);
  sextant_json_add_string (b, "symbol", h->symbol);
  sextant_json_add_double (b, "quantity", h->quantity);
  sextant_json_add_double (b, "weight", h->weight);
  sextant_json_add_string (b, "currency", h->currency);
  sextant_json_add_double (b, "min_weight", h->min_weight);
  sextant_json_add_double (b, "max_weight", h->max_weight);
  sextant_json_add_double (b, "cost_basis", h->cost_basis);
  json_builder_end_object (b);
}

static gboolean
export_portfolios (Export        *export,
                   SextantStore  *store,
                   GError       **error)
{
  g_autoptr(SextantPortfolioStore) portfolios = sextant_portfolio_store_new (store);
  g_auto(GStrv) names = sextant_portfolio_store_list_names (portfolios, error);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) csv = g_string_new ("portfolio,base_currency,symbol,quantity,weight,currency,min_weight,"
                                         "max_weight,cost_basis\r\n");
  g_autoptr(JsonNode) root = NULL;

  if (names == NULL)
    return FALSE;
  json_builder_begin_array (b);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_store_load (portfolios, names[i], error);

      if (portfolio == NULL)
        return FALSE;
      json_builder_begin_object (b);
      sextant_json_add_string (b, "name", names[i]);
      sextant_json_add_string (b, "base_currency", sextant_portfolio_get_base_currency (portfolio));
      sextant_json_add_string (b, "benchmark", sextant_portfolio_get_benchmark (portfolio));
      json_builder_set_member_name (b, "holdings");
      json_builder_begin_array (b);
      for (guint j = 0; j < sextant_portfolio_get_n_holdings (portfolio); j++)
        {
          const SextantHolding *h = sextant_portfolio_get_holding (portfolio, j);

          holding_json (b, h);
          csv_field (csv, names[i], FALSE);
          csv_field (csv, sextant_portfolio_get_base_currency (portfolio), FALSE);
          csv_field (csv, h->symbol, FALSE);
          csv_number (csv, h->quantity, FALSE);
          csv_number (csv, h->weight, FALSE);
          csv_field (csv, h->currency, FALSE);
          csv_number (csv, h->min_weight, FALSE);
          csv_number (csv, h->max_weight, FALSE);
          csv_number (csv, h->cost_basis, TRUE);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      export->counts.portfolios++;
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);

  return add_json (export, "portfolios/portfolios.json", root, error) &&
         add_text (export, "portfolios/holdings.csv", csv->str, error);
}

/* A stored JSON text as a JSON value (null when absent, a string when it does not parse). */
static void
add_embedded_json (JsonBuilder *b,
                   const char  *name,
                   const char  *text)
{
  g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;

  json_builder_set_member_name (b, name);
  if (node != NULL)
    json_builder_add_value (b, g_steal_pointer (&node));
  else if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static gboolean
export_results (Export        *export,
                SextantStore  *store,
                GError       **error)
{
  g_autoptr(SextantPortfolioStore) portfolios = sextant_portfolio_store_new (store);
  g_autoptr(GPtrArray) results = sextant_portfolio_store_list_results (portfolios, NULL, NULL, error);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) csv = g_string_new ("result_id,portfolio,kind,created_at,parameters,inputs,result\r\n");
  g_autoptr(JsonNode) root = NULL;

  if (results == NULL)
    return FALSE;
  json_builder_begin_array (b);
  for (guint i = 0; i < results->len; i++)
    {
      SextantSavedResult *r = g_ptr_array_index (results, i);
      g_autofree char *created = iso_time (r->created_at);

      json_builder_begin_object (b);
      sextant_json_add_int (b, "result_id", r->result_id);
      sextant_json_add_string (b, "portfolio", r->portfolio);
      sextant_json_add_string (b, "kind", r->kind);
      sextant_json_add_string (b, "created_at", created);
      add_embedded_json (b, "parameters", r->parameters);
      add_embedded_json (b, "inputs", r->inputs);
      add_embedded_json (b, "result", r->result);
      json_builder_end_object (b);
      csv_int (csv, r->result_id, FALSE);
      csv_field (csv, r->portfolio, FALSE);
      csv_field (csv, r->kind, FALSE);
      csv_field (csv, created, FALSE);
      csv_field (csv, r->parameters, FALSE);
      csv_field (csv, r->inputs, FALSE);
      csv_field (csv, r->result, TRUE);
      export->counts.results++;
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);

  return add_json (export, "results/results.json", root, error) &&
         add_text (export, "results/results.csv", csv->str, error);
}

static gboolean
export_documents (Export        *export,
                  SextantStore  *store,
                  GError       **error)
{
  g_autoptr(SextantKbStore) kb = sextant_kb_store_new (store);
  g_autoptr(GPtrArray) documents = sextant_kb_store_list (kb, error);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) csv = g_string_new ("id,title,path,format,size,sha256,pages,added_at,chunks\r\n");
  g_autoptr(JsonNode) root = NULL;

  if (documents == NULL)
    return FALSE;
  json_builder_begin_array (b);
  for (guint i = 0; i < documents->len; i++)
    {
      SextantKbDocument *d = g_ptr_array_index (documents, i);
      g_autofree char *added = iso_time (d->added_at);

      json_builder_begin_object (b);
      sextant_json_add_int (b, "id", d->id);
      sextant_json_add_string (b, "title", d->title);
      sextant_json_add_string (b, "path", d->path);
      sextant_json_add_string (b, "format", d->format);
      sextant_json_add_int (b, "size", d->size);
      sextant_json_add_string (b, "sha256", d->sha256);
      sextant_json_add_int (b, "pages", d->n_pages);
      sextant_json_add_string (b, "added_at", added);
      sextant_json_add_int (b, "chunks", d->n_chunks);
      json_builder_end_object (b);
      csv_int (csv, d->id, FALSE);
      csv_field (csv, d->title, FALSE);
      csv_field (csv, d->path, FALSE);
      csv_field (csv, d->format, FALSE);
      csv_int (csv, d->size, FALSE);
      csv_field (csv, d->sha256, FALSE);
      csv_int (csv, d->n_pages, FALSE);
      csv_field (csv, added, FALSE);
      csv_int (csv, d->n_chunks, TRUE);
      export->counts.documents++;
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);

  return add_json (export, "knowledge-base/documents.json", root, error) &&
         add_text (export, "knowledge-base/documents.csv", csv->str, error);
}

static const char readme[] =
  "Sextant: everything exported\n"
  "============================\n\n"
  "conversations/index.json       every conversation: id, title, role, model, times, pinned\n"
  "conversations/NNNN-title.md    each conversation as Markdown\n"
  "conversations/NNNN-title.json  the same as JSON, with the assistant's tool calls and results\n"
  "portfolios/portfolios.json     every portfolio with its holdings\n"
  "portfolios/holdings.csv        one row per holding (empty cell: not recorded)\n"
  "results/results.json           saved optimization and risk results, with parameters and inputs\n"
  "results/results.csv            the same, one row each, the JSON parts as text\n"
  "knowledge-base/documents.json  the knowledge base's documents (their files stay where they are)\n"
  "knowledge-base/documents.csv\n"
  "settings.json                  the preferences (keys and tokens stay in the keyring)\n\n"
  "CSV files are RFC 4180 (UTF-8, comma-separated, CRLF); times are ISO 8601 in UTC.\n"
  "This archive is not encrypted: keep it as safe as the data it holds.\n";

/**
 * sextant_export_file_name:
 * @when: the time of the export
 *
 * Returns: (transfer full): a name for the archive, `sextant-export-20261207-174400.tar.gz` (UTC)
 */
char *
sextant_export_file_name (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);
  g_autofree char *stamp = g_date_time_format (utc, "%Y%m%d-%H%M%S");

  return g_strconcat ("sextant-export-", stamp, ".tar.gz", NULL);
}

/**
 * sextant_export_write:
 * @store: the database, with its history key if it is sealed
 * @settings: (nullable): the preferences (sextant_export_settings_to_json()), or %NULL for none
 * @path: the archive to write (`.tar.gz`)
 * @counts: (out caller-allocates) (optional): what was written
 * @error: return location
 *
 * Writes everything the user keeps in Sextant, in open formats, into one archive (see the
 * layout above). The archive appears only once complete.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_export_write (SextantStore         *store,
                      JsonNode             *settings,
                      const char           *path,
                      SextantExportCounts  *counts,
                      GError              **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonNode) no_settings = NULL;
  g_autofree char *name = NULL;
  Export export = { 0 };
  gboolean ok;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (sextant_store_get_sealed (store) && sextant_store_get_key (store) == NULL)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY,
                   _("The history is sealed and its key is not in the keyring: import it first "
                     "(sextant-cli secrets import-key FILE)"));
      return FALSE;
    }
  if ((export.tar = sextant_tar_writer_new (path, error)) == NULL)
    return FALSE;
  name = sextant_export_file_name (now);
  export.folder = g_strndup (name, strlen (name) - strlen (".tar.gz"));
  export.now = g_date_time_to_unix (now);
  if (settings == NULL)
    {
      settings = no_settings = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (no_settings, json_object_new ());
    }
  ok = add_text (&export, "README.txt", readme, error) && export_conversations (&export, store, error) &&
       export_portfolios (&export, store, error) && export_results (&export, store, error) &&
       export_documents (&export, store, error) && add_json (&export, "settings.json", settings, error);
  if (ok)
    ok = sextant_tar_writer_close (g_steal_pointer (&export.tar), error);
  g_clear_pointer (&export.tar, sextant_tar_writer_free);
  g_free (export.folder);
  if (ok && counts != NULL)
    *counts = export.counts;

  return ok;
}

/**
 * sextant_export_settings_to_json:
 * @settings: Sextant's settings
 *
 * Returns: (transfer full): every key of @settings and its value, as JSON
 */
JsonNode *
sextant_export_settings_to_json (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  object = json_object_new ();
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);

      json_object_set_member (object, keys[i], json_gvariant_serialize (value));
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);

  return node;
}
