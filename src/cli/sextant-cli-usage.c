#define G_LOG_DOMAIN "sextant-cli-usage"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-chat.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

/* `sextant-cli usage [--month YYYY-MM] [--format text|json]`: what the assistant cost in a UTC
 * month, by day, model and role, from the invocation log and the price table the app uses (its
 * built-in prices with the user's edits from the `model-prices` setting), beside the monthly
 * spending limit of Preferences. */

static SextantModelPrices *
load_prices (GSettings *settings)
{
  SextantModelPrices *prices = sextant_model_prices_new ();
  g_autofree char *json = settings != NULL ? g_settings_get_string (settings, "model-prices") : NULL;
  g_autoptr(GError) error = NULL;

  if (json != NULL && json[0] != '\0' && !sextant_model_prices_load_json (prices, json, &error))
    fprintf (stderr, "sextant-cli usage: the saved price table is unreadable (%s); using the built-in prices\n",
             error->message);

  return prices;
}

typedef struct
{
  gint64 requests;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 cache_read_tokens;
  gint64 cache_write_tokens;
  double cost;
  gboolean unpriced;
} Sum;

static void
sum_add (Sum                      *sum,
         const SextantSpendingRow *row)
{
  sum->requests += row->requests;
  sum->input_tokens += row->input_tokens;
  sum->output_tokens += row->output_tokens;
  sum->cache_read_tokens += row->cache_read_tokens;
  sum->cache_write_tokens += row->cache_write_tokens;
  if (isnan (row->cost_usd))
    sum->unpriced = TRUE;
  else
    sum->cost += row->cost_usd;
}

static void
add_counts (JsonBuilder *b,
            const Sum   *sum)
{
  sextant_json_add_int (b, "requests", sum->requests);
  sextant_json_add_int (b, "input_tokens", sum->input_tokens);
  sextant_json_add_int (b, "output_tokens", sum->output_tokens);
  sextant_json_add_int (b, "cache_read_tokens", sum->cache_read_tokens);
  sextant_json_add_int (b, "cache_write_tokens", sum->cache_write_tokens);
  json_builder_set_member_name (b, "cost");
  json_builder_add_double_value (b, sum->cost);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Sums of @rows grouped by the model (@by_model) or the role; the offline analyst's model is
 * "offline". */
static GHashTable *
group (GPtrArray *rows,
       gboolean   by_model,
       GPtrArray *order)
{
  GHashTable *groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < rows->len; i++)
    {
      SextantSpendingRow *row = rows->pdata[i];
      const char *key = by_model ? (row->model != NULL ? row->model : "offline") : (row->role != NULL ? row->role : "");
      Sum *sum = g_hash_table_lookup (groups, key);

      if (sum == NULL)
        {
          sum = g_new0 (Sum, 1);
          g_hash_table_insert (groups, g_strdup (key), sum);
          g_ptr_array_add (order, g_strdup (key));
        }
      sum_add (sum, row);
    }
  g_ptr_array_sort (order, compare_keys);

  return groups;
}

static void
add_groups (JsonBuilder *b,
            const char  *member,
            const char  *key_name,
            GHashTable  *groups,
            GPtrArray   *order)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < order->len; i++)
    {
      json_builder_begin_object (b);
      sextant_json_add_string (b, key_name, order->pdata[i]);
      add_counts (b, g_hash_table_lookup (groups, order->pdata[i]));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
print_json (const char         *month,
            SextantModelPrices *prices,
            GPtrArray          *rows,
            const Sum          *total,
            double              monthly_limit,
            GHashTable         *models,
            GPtrArray          *model_order,
            GHashTable         *roles,
            GPtrArray          *role_order)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  sextant_json_add_string (b, "month", month);
  sextant_json_add_string (b, "currency", "USD");
  sextant_json_add_string (b, "prices_as_of", sextant_model_prices_get_as_of (prices));
  add_counts (b, total);
  sextant_json_add_boolean (b, "unpriced", total->unpriced);
  json_builder_set_member_name (b, "monthly_limit");
  if (monthly_limit > 0)
    json_builder_add_double_value (b, monthly_limit);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "limit_share");
  if (monthly_limit > 0)
    json_builder_add_double_value (b, total->cost / monthly_limit);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "days");
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      SextantSpendingRow *row = rows->pdata[i];
      Sum one = { 0, };

      sum_add (&one, row);
      json_builder_begin_object (b);
      sextant_json_add_string (b, "day", row->day);
      json_builder_set_member_name (b, "model");
      if (row->model != NULL)
        json_builder_add_string_value (b, row->model);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "role");
      if (row->role != NULL)
        json_builder_add_string_value (b, row->role);
      else
        json_builder_add_null_value (b);
      add_counts (b, &one);
      /* A model the table has no price for: its cost is unknown, not zero. */
      if (one.unpriced)
        {
          json_builder_set_member_name (b, "cost");
          json_builder_add_null_value (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_groups (b, "by_model", "model", models, model_order);
  add_groups (b, "by_role", "role", roles, role_order);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  sextant_cli_print_json (root);
}

static char *
money (double value,
       gboolean unknown)
{
  return unknown ? g_strdup ("?") : g_strdup_printf ("$%.4f", value);
}

static void
print_text (const char         *month,
            SextantModelPrices *prices,
            GPtrArray          *rows,
            const Sum          *total,
            double              monthly_limit,
            GHashTable         *models,
            GPtrArray          *model_order,
            GHashTable         *roles,
            GPtrArray          *role_order)
{
  g_autofree char *total_cost = money (total->cost, FALSE);

  if (rows->len == 0)
    {
      printf ("No assistant requests in %s.\n", month);
      return;
    }
  printf ("Assistant usage in %s (UTC), estimated with the prices of %s (US dollars)\n\n", month,
          sextant_model_prices_get_as_of (prices));
  printf ("%-10s  %-44s  %-18s %8s %10s %10s %10s %10s %10s\n", "Day", "Model", "Role", "Requests", "Tokens in",
          "Tokens out", "Cache read", "Cache wrt", "Cost");
  for (guint i = 0; i < rows->len; i++)
    {
      SextantSpendingRow *row = rows->pdata[i];
      g_autofree char *cost = money (row->cost_usd, isnan (row->cost_usd));

      printf ("%-10s  %-44s  %-18s %8" G_GINT64_FORMAT " %10" G_GINT64_FORMAT " %10" G_GINT64_FORMAT " %10"
              G_GINT64_FORMAT " %10" G_GINT64_FORMAT " %10s\n", row->day,
              row->model != NULL ? row->model : "offline", row->role != NULL ? row->role : "",
              row->requests, row->input_tokens, row->output_tokens, row->cache_read_tokens, row->cache_write_tokens, cost);
    }
  printf ("\nBy model:\n");
  for (guint i = 0; i < model_order->len; i++)
    {
      Sum *sum = g_hash_table_lookup (models, model_order->pdata[i]);
      g_autofree char *cost = money (sum->cost, FALSE);

      printf ("  %-44s %8" G_GINT64_FORMAT " requests %10s%s\n", (const char *) model_order->pdata[i], sum->requests,
              cost, sum->unpriced ? " (no price for some)" : "");
    }
  printf ("By role:\n");
  for (guint i = 0; i < role_order->len; i++)
    {
      Sum *sum = g_hash_table_lookup (roles, role_order->pdata[i]);
      g_autofree char *cost = money (sum->cost, FALSE);

      printf ("  %-44s %8" G_GINT64_FORMAT " requests %10s\n", (const char *) role_order->pdata[i], sum->requests, cost);
    }
  printf ("\nTotal: %s over %" G_GINT64_FORMAT " requests%s\n", total_cost, total->requests,
          total->unpriced ? " (some models have no price in the table and are left out)" : "");
  if (monthly_limit > 0)
    printf ("Monthly limit: $%.2f (%.0f %% used)\n", monthly_limit, 100 * total->cost / monthly_limit);
}

int
sextant_cli_usage_main (int    argc,
                        char **argv)
{
  g_autofree char *month = NULL, *format_text = NULL;
  GOptionEntry entries[] = {
    { "month", 'm', 0, G_OPTION_ARG_STRING, &month, "The month, YYYY-MM (default: this month, UTC)", "YYYY-MM" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, "Output format: text or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— what the assistant cost in a month");
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SextantModelPrices) prices = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) model_order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) role_order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) models = NULL;
  g_autoptr(GHashTable) roles = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format;
  Sum total = { 0, };
  double monthly_limit;
  gint64 since, until;
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, "usage", &exit_code))
    return exit_code;
  if (!sextant_cli_parse_format (format_text, (1u << SEXTANT_CLI_FORMAT_TEXT) | (1u << SEXTANT_CLI_FORMAT_JSON), &format, &error))
    return sextant_cli_usage_error (context, "usage", error->message);
  if (argc > 1)
    return sextant_cli_usage_error (context, "usage", "usage takes no arguments, only --month and --format");
  if (month == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      month = g_date_time_format (now, "%Y-%m");
    }
  if (!sextant_spending_parse_month (month, &since, &until, &error))
    return sextant_cli_usage_error (context, "usage", error->message);

  settings = sextant_cli_dup_app_settings ();
  prices = load_prices (settings);
  monthly_limit = settings != NULL && sextant_cli_settings_has_key (settings, "spending-limit-monthly")
                ? g_settings_get_double (settings, "spending-limit-monthly") : 0;
  if (!(store = sextant_cli_open_agent_store (&error)))
    return sextant_cli_fail (-1, "usage", error);
  if (!(rows = sextant_spending_by_day (store, prices, since, until, &error)))
    return sextant_cli_fail (-1, "usage", error);
  for (guint i = 0; i < rows->len; i++)
    sum_add (&total, rows->pdata[i]);
  models = group (rows, TRUE, model_order);
  roles = group (rows, FALSE, role_order);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (month, prices, rows, &total, monthly_limit, models, model_order, roles, role_order);
  else
    print_text (month, prices, rows, &total, monthly_limit, models, model_order, roles, role_order);

  return SEXTANT_CLI_EXIT_OK;
}
