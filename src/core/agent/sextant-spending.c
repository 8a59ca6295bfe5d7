#define G_LOG_DOMAIN "sextant-spending"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "agent/sextant-agent-error.h"
#include "agent/sextant-spending.h"

/* What the assistant cost, from the invocation log and the price table: by day, model and role
 * for the Monitoring window and `sextant-cli usage`, and against the monthly and
 * per-conversation limits of Preferences. Days and months are UTC, as AWS bills them. The cost
 * is priced when asked, so an edited price table re-prices the past: an estimate, never a bill. */

void
sextant_spending_row_free (SextantSpendingRow *row)
{
  if (row == NULL)
    return;
  g_free (row->day);
  g_free (row->model);
  g_free (row->role);
  g_free (row);
}

/**
 * sextant_spending_parse_month:
 * @month: `YYYY-MM`
 * @since: (out): the month's first microsecond, unix µs UTC
 * @until: (out): the next month's first microsecond
 * @error: %SEXTANT_AGENT_ERROR_INVALID_INPUT naming @month
 *
 * Returns: %TRUE if @month is a month from 1970-01 to 9999-12
 */
gboolean
sextant_spending_parse_month (const char  *month,
                              gint64      *since,
                              gint64      *until,
                              GError     **error)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  guint64 year = 0, number = 0;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (month != NULL, FALSE);

  parts = g_strsplit (month, "-", -1);
  if (g_strv_length (parts) != 2 || strlen (parts[0]) != 4 || strlen (parts[1]) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1970, 9999, &year, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &number, NULL))
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                   _("“%s” is not a month: write it as YYYY-MM, such as 2026-12"), month);
      return FALSE;
    }
  start = g_date_time_new_utc ((int) year, (int) number, 1, 0, 0, 0);
  end = g_date_time_add_months (start, 1);
  *since = g_date_time_to_unix (start) * G_USEC_PER_SEC;
  *until = g_date_time_to_unix (end) * G_USEC_PER_SEC;

  return TRUE;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static GPtrArray *
query (SextantStore        *store,
       SextantModelPrices  *prices,
       gint64               since,
       gint64               until,
       gint64               conversation_id,
       GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *rows;

  stmt = sextant_store_prepare (store, "SELECT strftime('%Y-%m-%d', started_at / 1000000, 'unixepoch'), model, role, "
                                "count(*), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), "
                                "sum(cache_write_tokens) FROM agent_invocations "
                                "WHERE started_at >= ?1 AND started_at < ?2 AND (?3 = 0 OR conversation_id = ?3) "
                                "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, until);
  sqlite3_bind_int64 (stmt, 3, conversation_id);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_spending_row_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SextantSpendingRow *row = g_new0 (SextantSpendingRow, 1);

      row->day = dup_column (stmt, 0);
      row->model = dup_column (stmt, 1);
      row->role = dup_column (stmt, 2);
      row->requests = sqlite3_column_int64 (stmt, 3);
      row->input_tokens = sqlite3_column_int64 (stmt, 4);
      row->output_tokens = sqlite3_column_int64 (stmt, 5);
      row->cache_read_tokens = sqlite3_column_int64 (stmt, 6);
      row->cache_write_tokens = sqlite3_column_int64 (stmt, 7);
      /* The offline analyst costs nothing. */
      row->cost_usd = row->model == NULL ? 0.0
                    : sextant_model_prices_estimate_usage (prices, row->model, row->input_tokens, row->output_tokens,
                                                           row->cache_read_tokens, row->cache_write_tokens);
      g_ptr_array_add (rows, row);
    }

  return rows;
}

/**
 * sextant_spending_by_day:
 * @store: the database holding the invocation log
 * @prices: the price table
 * @since: first time included, unix µs
 * @until: first time excluded
 * @error: return location
 *
 * Returns: (transfer full) (element-type SextantSpendingRow): one row per UTC day, model and role
 *   with invocations, by day, then model, then role
 */
GPtrArray *
sextant_spending_by_day (SextantStore        *store,
                         SextantModelPrices  *prices,
                         gint64               since,
                         gint64               until,
                         GError             **error)
{
  g_return_val_if_fail (SEXTANT_IS_STORE (store), NULL);
  g_return_val_if_fail (SEXTANT_IS_MODEL_PRICES (prices), NULL);

  return query (store, prices, since, until, 0, error);
}

/**
 * sextant_spending_total:
 * @store: the database
 * @prices: the price table
 * @since: first time included, unix µs
 * @until: first time excluded
 * @conversation_id: one conversation, or 0 for all
 * @error: return location
 *
 * Returns: the estimate in US dollars (models without a price count as 0), or NaN on error
 */
double
sextant_spending_total (SextantStore        *store,
                        SextantModelPrices  *prices,
                        gint64               since,
                        gint64               until,
                        gint64               conversation_id,
                        GError             **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  double total = 0;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), NAN);
  g_return_val_if_fail (SEXTANT_IS_MODEL_PRICES (prices), NAN);

  if (!(rows = query (store, prices, since, until, conversation_id, error)))
    return NAN;
  for (guint i = 0; i < rows->len; i++)
    {
      SextantSpendingRow *row = rows->pdata[i];

      if (!isnan (row->cost_usd))
        total += row->cost_usd;
    }

  return total;
}

static SextantSpendingLevel
level_of (double spent,
          double limit)
{
  if (!(limit > 0))
    return SEXTANT_SPENDING_OK;
  if (spent >= limit)
    return SEXTANT_SPENDING_STOP;
  if (spent >= SEXTANT_SPENDING_WARNING_SHARE * limit)
    return SEXTANT_SPENDING_WARNING;

  return SEXTANT_SPENDING_OK;
}

/**
 * sextant_spending_check:
 * @store: the database
 * @prices: the price table
 * @monthly_limit: US dollars a UTC month may cost, 0 for no limit
 * @conversation_limit: US dollars one conversation may cost, 0 for no limit
 * @conversation_id: the conversation about to ask, 0 for none
 * @now: the time, unix µs (its UTC month is the one checked)
 * @status: (out caller-allocates): where the two sums and the level go
 * @error: return location
 *
 * Warnings start at 80 % of a limit, the stop at 100 %.
 *
 * Returns: %FALSE on a database error
 */
gboolean
sextant_spending_check (SextantStore           *store,
                        SextantModelPrices     *prices,
                        double                  monthly_limit,
                        double                  conversation_limit,
                        gint64                  conversation_id,
                        gint64                  now,
                        SextantSpendingStatus  *status,
                        GError                **error)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  SextantSpendingLevel month_level, conversation_level;

  g_return_val_if_fail (status != NULL, FALSE);

  memset (status, 0, sizeof *status);
  status->month_limit = isfinite (monthly_limit) && monthly_limit > 0 ? monthly_limit : 0;
  status->conversation_limit = isfinite (conversation_limit) && conversation_limit > 0 ? conversation_limit : 0;
  if (time == NULL)
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT, "No date for time %" G_GINT64_FORMAT, now);
      return FALSE;
    }
  start = g_date_time_new_utc (g_date_time_get_year (time), g_date_time_get_month (time), 1, 0, 0, 0);
  end = g_date_time_add_months (start, 1);
  if (status->month_limit > 0)
    {
      status->month_spent = sextant_spending_total (store, prices, g_date_time_to_unix (start) * G_USEC_PER_SEC,
                                                    g_date_time_to_unix (end) * G_USEC_PER_SEC, 0, error);
      if (isnan (status->month_spent))
        return FALSE;
    }
  if (status->conversation_limit > 0 && conversation_id > 0)
    {
      status->conversation_spent = sextant_spending_total (store, prices, 0, G_MAXINT64, conversation_id, error);
      if (isnan (status->conversation_spent))
        return FALSE;
    }
  month_level = level_of (status->month_spent, status->month_limit);
  conversation_level = conversation_id > 0 ? level_of (status->conversation_spent, status->conversation_limit)
                                           : SEXTANT_SPENDING_OK;
  status->level = MAX (month_level, conversation_level);
  status->conversation_reached = conversation_level > month_level;

  return TRUE;
}

/**
 * sextant_spending_describe:
 * @status: a check's result
 *
 * Returns: (transfer full) (nullable): a sentence for a warning or a stop, %NULL when all is well
 */
char *
sextant_spending_describe (const SextantSpendingStatus *status)
{
  char spent[32], limit[32];
  int percent;

  g_return_val_if_fail (status != NULL, NULL);

  if (status->level == SEXTANT_SPENDING_OK)
    return NULL;
  g_snprintf (spent, sizeof spent, "$%.2f", status->conversation_reached ? status->conversation_spent : status->month_spent);
  g_snprintf (limit, sizeof limit, "$%.2f", status->conversation_reached ? status->conversation_limit : status->month_limit);
  percent = (int) floor (100 * (status->conversation_reached ? status->conversation_spent / status->conversation_limit
                                                             : status->month_spent / status->month_limit));
  if (status->level == SEXTANT_SPENDING_STOP && status->conversation_reached)
    /* Translators: the conversation's estimated Bedrock cost and its limit, in US dollars */
    return g_strdup_printf (_("This conversation has cost about %s, which reaches its limit of %s. "
                              "Ask anyway to go over it, or raise the limit in Preferences."), spent, limit);
  if (status->level == SEXTANT_SPENDING_STOP)
    /* Translators: this month's estimated Bedrock cost and the monthly limit, in US dollars */
    return g_strdup_printf (_("Amazon Bedrock has cost about %s this month, which reaches the monthly limit of %s. "
                              "Ask anyway to go over it, or raise the limit in Preferences."), spent, limit);
  if (status->conversation_reached)
    /* Translators: a percentage, the conversation's estimated cost and its limit */
    return g_strdup_printf (_("This conversation has used %d %% of its spending limit (%s of %s)."),
                            percent, spent, limit);

  /* Translators: a percentage, this month's estimated cost and the monthly limit */
  return g_strdup_printf (_("Amazon Bedrock has used %d %% of this month's spending limit (%s of %s)."),
                          percent, spent, limit);
}
