#define G_LOG_DOMAIN "sextant-stress-scenario"

#include "config.h"

#include <gio/gio.h>
#include <math.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-stress.h"
#include "market/sextant-market-error.h"
#include "market/sextant-stress-scenario.h"

/* User-defined stress scenarios and their table (migration 6 of sextant-market-schema.c): one
 * row per scenario in `stress_scenarios` with the uniform market move, one row per instrument or
 * currency shock in `stress_shocks`. */

G_DEFINE_BOXED_TYPE (SextantStressScenario, sextant_stress_scenario, sextant_stress_scenario_copy,
                     sextant_stress_scenario_free)

static void
shock_clear (gpointer data)
{
  SextantStressShock *shock = data;

  g_free (shock->key);
}

static GArray *
shock_array_new (void)
{
  GArray *array = g_array_new (FALSE, FALSE, sizeof (SextantStressShock));

  g_array_set_clear_func (array, shock_clear);

  return array;
}

/**
 * sextant_stress_scenario_new:
 * @name: its name
 *
 * Returns: (transfer full): a scenario that moves nothing
 */
SextantStressScenario *
sextant_stress_scenario_new (const char *name)
{
  SextantStressScenario *self = g_new0 (SextantStressScenario, 1);

  g_return_val_if_fail (name != NULL, NULL);

  self->name = g_strdup (name);
  self->instruments = shock_array_new ();
  self->currencies = shock_array_new ();

  return self;
}

static void
set_shock (GArray     *array,
           const char *key,
           double      shock)
{
  SextantStressShock added;

  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_array_index (array, SextantStressShock, i).key, key) == 0)
      {
        g_array_index (array, SextantStressShock, i).shock = shock;
        return;
      }
  added = (SextantStressShock) { g_strdup (key), shock };
  g_array_append_val (array, added);
}

SextantStressScenario *
sextant_stress_scenario_copy (const SextantStressScenario *self)
{
  SextantStressScenario *copy = sextant_stress_scenario_new (self->name);

  copy->market = self->market;
  for (guint i = 0; i < self->instruments->len; i++)
    set_shock (copy->instruments, g_array_index (self->instruments, SextantStressShock, i).key,
               g_array_index (self->instruments, SextantStressShock, i).shock);
  for (guint i = 0; i < self->currencies->len; i++)
    set_shock (copy->currencies, g_array_index (self->currencies, SextantStressShock, i).key,
               g_array_index (self->currencies, SextantStressShock, i).shock);

  return copy;
}

void
sextant_stress_scenario_free (SextantStressScenario *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_array_unref (self->instruments);
  g_array_unref (self->currencies);
  g_free (self);
}

/**
 * sextant_stress_scenario_set_instrument:
 * @self: a scenario
 * @symbol: the instrument
 * @shock: its price move, replacing the market move for it
 */
void
sextant_stress_scenario_set_instrument (SextantStressScenario *self,
                                        const char            *symbol,
                                        double                 shock)
{
  g_return_if_fail (self != NULL && symbol != NULL);

  set_shock (self->instruments, symbol, shock);
}

/**
 * sextant_stress_scenario_set_currency:
 * @self: a scenario
 * @currency: an ISO 4217 code
 * @shock: its move against the base currency
 */
void
sextant_stress_scenario_set_currency (SextantStressScenario *self,
                                      const char            *currency,
                                      double                 shock)
{
  g_return_if_fail (self != NULL && currency != NULL);

  set_shock (self->currencies, currency, shock);
}

static gboolean
find_shock (GArray     *array,
            const char *key,
            double     *shock)
{
  for (guint i = 0; key != NULL && i < array->len; i++)
    if (g_strcmp0 (g_array_index (array, SextantStressShock, i).key, key) == 0)
      {
        *shock = g_array_index (array, SextantStressShock, i).shock;
        return TRUE;
      }

  return FALSE;
}

/**
 * sextant_stress_scenario_apply:
 * @self: a scenario
 * @k: number of holdings
 * @symbols: (array length=k): their symbols
 * @currencies: (array length=k) (nullable): the currency each is quoted in, or %NULL when all
 *   are in the base currency
 * @weights: (array length=k): their weights in the portfolio
 * @value: the portfolio's value, in the base currency
 * @shocks: (out caller-allocates) (array length=k) (optional): each holding's move
 * @pnl: (out caller-allocates) (array length=k) (optional): each holding's profit or loss in
 *   money, value × weight × move
 * @total_pnl: (out): the portfolio's profit or loss in money, value × Σ weight × move
 * @error: return location for an error naming a holding whose move is below −100 %
 *
 * Returns: %TRUE with the P&L set
 */
gboolean
sextant_stress_scenario_apply (const SextantStressScenario  *self,
                               gsize                         k,
                               const char * const           *symbols,
                               const char * const           *currencies,
                               const double                 *weights,
                               double                        value,
                               double                       *shocks,
                               double                       *pnl,
                               double                       *total_pnl,
                               GError                      **error)
{
  g_autofree double *moves = g_new (double, k);
  g_autofree double *contributions = g_new (double, k);
  double portfolio_return;

  g_return_val_if_fail (self != NULL && total_pnl != NULL, FALSE);
  g_return_val_if_fail (k == 0 || (symbols != NULL && weights != NULL), FALSE);

  for (gsize i = 0; i < k; i++)
    {
      double price = self->market, fx = 0;

      find_shock (self->instruments, symbols[i], &price);
      if (currencies != NULL)
        find_shock (self->currencies, currencies[i], &fx);
      moves[i] = (1 + price) * (1 + fx) - 1;
    }
  if (!sextant_stress_shock (weights, moves, k, &portfolio_return, contributions, error))
    return FALSE;
  for (gsize i = 0; i < k; i++)
    {
      if (shocks != NULL)
        shocks[i] = moves[i];
      if (pnl != NULL)
        pnl[i] = value * contributions[i];
    }
  *total_pnl = value * portfolio_return;

  return TRUE;
}

/* Store --------------------------------------------------------------------------------------- */

static gboolean
insert_shocks (SextantStore  *store,
               gint64         id,
               const char    *kind,
               GArray        *shocks,
               GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sextant_store_prepare (store, "INSERT INTO stress_shocks (scenario_id, kind, key, shock) "
                                       "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < shocks->len; i++)
    {
      const SextantStressShock *s = &g_array_index (shocks, SextantStressShock, i);

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, s->key, -1, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 4, s->shock);
      if (!sextant_store_step_done (store, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
save_rows (SextantStore                *store,
           const SextantStressScenario *self,
           GError                     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id;

  stmt = sextant_store_prepare (store,
                                "INSERT INTO stress_scenarios (name, market) VALUES (?, ?) "
                                "ON CONFLICT (name) DO UPDATE SET market = excluded.market, "
                                "updated_at = unixepoch() RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->name, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 2, self->market);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (store, error, "Cannot save the stress scenario");
      return FALSE;
    }
  id = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = sextant_store_prepare (store, "DELETE FROM stress_shocks WHERE scenario_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);

  return sextant_store_step_done (store, stmt, error) &&
         insert_shocks (store, id, "instrument", self->instruments, error) &&
         insert_shocks (store, id, "currency", self->currencies, error);
}

/**
 * sextant_stress_scenario_save:
 * @store: the database
 * @self: a scenario; one of the same name is replaced
 * @error: return location for an error
 *
 * Returns: %TRUE once it is committed
 */
gboolean
sextant_stress_scenario_save (SextantStore                 *store,
                              const SextantStressScenario  *self,
                              GError                      **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (store != NULL && self != NULL, FALSE);

  name = g_strstrip (g_strdup (self->name));
  if (name[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "A stress scenario needs a name");
      return FALSE;
    }
  if (!sextant_store_begin (store, error))
    return FALSE;
  if (!save_rows (store, self, error) || !sextant_store_commit (store, error))
    {
      sextant_store_rollback (store);
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_stress_scenario_load:
 * @store: the database
 * @name: the scenario's name
 * @error: return location for an error, %SEXTANT_MARKET_ERROR_NOT_FOUND when there is none
 *
 * Returns: (transfer full) (nullable): the scenario
 */
SextantStressScenario *
sextant_stress_scenario_load (SextantStore  *store,
                              const char    *name,
                              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SextantStressScenario) self = NULL;
  int rc;

  g_return_val_if_fail (store != NULL && name != NULL, NULL);

  stmt = sextant_store_prepare (store,
                                "SELECT s.market, h.kind, h.key, h.shock FROM stress_scenarios s "
                                "LEFT JOIN stress_shocks h ON h.scenario_id = s.id "
                                "WHERE s.name = ? ORDER BY h.rowid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      const char *key = (const char *) sqlite3_column_text (stmt, 2);

      if (self == NULL)
        {
          self = sextant_stress_scenario_new (name);
          self->market = sqlite3_column_double (stmt, 0);
        }
      if (g_strcmp0 (kind, "instrument") == 0)
        set_shock (self->instruments, key, sqlite3_column_double (stmt, 3));
      else if (g_strcmp0 (kind, "currency") == 0)
        set_shock (self->currencies, key, sqlite3_column_double (stmt, 3));
    }
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (store, error, "Cannot read the stress scenarios");
      return NULL;
    }
  if (self == NULL)
    g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NOT_FOUND,
                 "No stress scenario is named “%s”", name);

  return g_steal_pointer (&self);
}

/**
 * sextant_stress_scenario_list_names:
 * @store: the database
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the saved scenarios' names, alphabetically
 */
char **
sextant_stress_scenario_list_names (SextantStore  *store,
                                    GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = sextant_store_prepare (store, "SELECT name FROM stress_scenarios ORDER BY name COLLATE NOCASE",
                                error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (store, error, "Cannot read the stress scenarios");
      return NULL;
    }

  return g_strv_builder_end (names);
}

/**
 * sextant_stress_scenario_delete:
 * @store: the database
 * @name: the scenario's name
 * @error: return location for an error
 *
 * Returns: %TRUE, also when there was no such scenario
 */
gboolean
sextant_stress_scenario_delete (SextantStore  *store,
                                const char    *name,
                                GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (store != NULL && name != NULL, FALSE);

  stmt = sextant_store_prepare (store, "DELETE FROM stress_scenarios WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);

  return sextant_store_step_done (store, stmt, error);
}
