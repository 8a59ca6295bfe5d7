#define G_LOG_DOMAIN "sextant-portfolio-store"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "market/sextant-demo-data.h"
#include "market/sextant-portfolio-store.h"

struct _SextantPortfolioStore
{
  GObject       parent_instance;
  SextantStore *store;
  /* What sextant_portfolio_store_check_changes() last saw: the connection's PRAGMA
   * data_version and each portfolio's id → PortfolioState. */
  gint64        data_version;
  GHashTable   *seen;
};

typedef struct
{
  char *name;
  char *signature;
} PortfolioState;

static void
portfolio_state_free (PortfolioState *state)
{
  g_free (state->name);
  g_free (state->signature);
  g_free (state);
}

static gboolean take_snapshot (SextantPortfolioStore  *self,
                               GHashTable            **snapshot,
                               gint64                 *data_version,
                               GError                **error);

enum { CHANGED, N_SIGNALS };
static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (SextantPortfolioStore, sextant_portfolio_store, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (SextantSavedResult, sextant_saved_result, sextant_saved_result_copy,
                     sextant_saved_result_free)

SextantSavedResult *
sextant_saved_result_copy (const SextantSavedResult *self)
{
  SextantSavedResult *copy = g_memdup2 (self, sizeof *self);

  copy->portfolio = g_strdup (self->portfolio);
  copy->kind = g_strdup (self->kind);
  copy->parameters = g_strdup (self->parameters);
  copy->inputs = g_strdup (self->inputs);
  copy->result = g_strdup (self->result);

  return copy;
}

void
sextant_saved_result_free (SextantSavedResult *self)
{
  if (self == NULL)
    return;

  g_free (self->portfolio);
  g_free (self->kind);
  g_free (self->parameters);
  g_free (self->inputs);
  g_free (self->result);
  g_free (self);
}

static void
sextant_portfolio_store_finalize (GObject *object)
{
  g_clear_object (&SEXTANT_PORTFOLIO_STORE (object)->store);
  g_clear_pointer (&SEXTANT_PORTFOLIO_STORE (object)->seen, g_hash_table_unref);

  G_OBJECT_CLASS (sextant_portfolio_store_parent_class)->finalize (object);
}

static void
sextant_portfolio_store_class_init (SextantPortfolioStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_portfolio_store_finalize;

  /**
   * SextantPortfolioStore::changed:
   * @self: the store
   * @old_name: (nullable): the portfolio's name before the change; %NULL when it was created
   * @new_name: (nullable): its name after the change; %NULL when it was deleted
   *
   * Emitted after a portfolio was created, saved (both names the same), renamed or deleted
   * through this store, on the thread that made the change, so that every window showing the
   * portfolios can follow. Saved results do not emit it.
   */
  signals [CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2,
                                    G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                                    G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
emit_changed (SextantPortfolioStore *self,
              const char            *old_name,
              const char            *new_name)
{
  /* This connection's own change is signalled here: what check_changes() saw moves with it,
   * unless another connection wrote meanwhile (then the next check reports both). */
  if (self->seen != NULL)
    {
      g_autoptr(GHashTable) snapshot = NULL;
      gint64 version = 0;

      if (take_snapshot (self, &snapshot, &version, NULL) && version == self->data_version)
        {
          g_hash_table_unref (self->seen);
          self->seen = g_steal_pointer (&snapshot);
        }
    }
  g_signal_emit (self, signals [CHANGED], 0, old_name, new_name);
}

static void
sextant_portfolio_store_init (SextantPortfolioStore *self)
{
}

/**
 * sextant_portfolio_store_new:
 * @store: an open store
 *
 * Returns: (transfer full): portfolios, their holdings and constraints, and saved results over
 *   the `portfolios`, `holdings`, `jobs` and `results` tables
 */
SextantPortfolioStore *
sextant_portfolio_store_new (SextantStore *store)
{
  SextantPortfolioStore *self;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), NULL);

  self = g_object_new (SEXTANT_TYPE_PORTFOLIO_STORE, NULL);
  self->store = g_object_ref (store);

  return self;
}

static void
bind_optional (sqlite3_stmt *stmt,
               int           index,
               double        value)
{
  if (isnan (value))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_double (stmt, index, value);
}

static double
column_optional (sqlite3_stmt *stmt,
                 int           index,
                 double        fallback)
{
  return sqlite3_column_type (stmt, index) == SQLITE_NULL ? fallback
                                                          : sqlite3_column_double (stmt, index);
}

/* A bond's terms in columns 9 to 14 (kind, coupon, maturity, frequency, day count, spread);
 * NULL terms for the other kinds. */
static void
bind_kind (sqlite3_stmt         *stmt,
           int                   first,
           const SextantHolding *h)
{
  gboolean bond = h->kind == SEXTANT_HOLDING_BOND;

  sqlite3_bind_text (stmt, first, sextant_holding_kind_name (h->kind), -1, SQLITE_STATIC);
  for (int i = first + 1; i <= first + 5; i++)
    sqlite3_bind_null (stmt, i);
  if (!bond)
    return;
  sqlite3_bind_double (stmt, first + 1, h->bond.coupon);
  sqlite3_bind_int64 (stmt, first + 2, h->bond.maturity);
  sqlite3_bind_int (stmt, first + 3, h->bond.frequency);
  sqlite3_bind_text (stmt, first + 4, sextant_day_count_name (h->bond.day_count), -1, SQLITE_STATIC);
  bind_optional (stmt, first + 5, h->spread);
}

/* Adds the holding of the row (columns from @first: symbol, quantity, weight, currency, then
 * kind, coupon, maturity, frequency, day count, spread at @terms). */
static void
add_row_holding (SextantPortfolio *portfolio,
                 sqlite3_stmt     *stmt,
                 int               first,
                 int               terms)
{
  const char *symbol = (const char *) sqlite3_column_text (stmt, first);
  const char *currency = (const char *) sqlite3_column_text (stmt, first + 3);
  const char *kind_name = (const char *) sqlite3_column_text (stmt, terms);
  double quantity = column_optional (stmt, first + 1, NAN);
  SextantHoldingKind kind = SEXTANT_HOLDING_EQUITY;
  SextantBond bond = { 0 };

  sextant_holding_kind_from_name (kind_name, &kind);
  switch (kind)
    {
    case SEXTANT_HOLDING_BOND:
      bond.coupon = column_optional (stmt, terms + 1, 0.0);
      bond.maturity = (gint32) sqlite3_column_int64 (stmt, terms + 2);
      bond.frequency = sqlite3_column_int (stmt, terms + 3);
      if (!sextant_day_count_from_name ((const char *) sqlite3_column_text (stmt, terms + 4),
                                        &bond.day_count))
        bond.day_count = SEXTANT_DAY_COUNT_ACT_ACT_ICMA;
      bond.face = quantity;
      sextant_portfolio_add_bond (portfolio, symbol, &bond, column_optional (stmt, terms + 5, NAN),
                                  currency);
      break;
    case SEXTANT_HOLDING_CASH:
      sextant_portfolio_add_cash (portfolio, currency, quantity);
      break;
    case SEXTANT_HOLDING_EQUITY:
    default:
      sextant_portfolio_add_holding (portfolio, symbol, quantity, column_optional (stmt, first + 2, NAN),
                                     currency);
      break;
    }
}

/* 1 if a portfolio is called @name, 0 if none is, -1 on error. */
static int
portfolio_exists (SextantPortfolioStore  *self,
                  const char             *name,
                  GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sextant_store_prepare (self->store, "SELECT 1 FROM portfolios WHERE name = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return 1;
    case SQLITE_DONE:
      return 0;
    default:
      sextant_store_set_error_from_db (self->store, error, "Cannot read the portfolios");
      return -1;
    }
}

static gint64
upsert_portfolio (SextantPortfolioStore  *self,
                  SextantPortfolio       *portfolio,
                  GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sextant_store_prepare (self->store,
                                "INSERT INTO portfolios (name, benchmark, base_currency) "
                                "VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET "
                                "benchmark = ?2, base_currency = ?3, updated_at = unixepoch() "
                                "RETURNING id", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, sextant_portfolio_get_name (portfolio), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sextant_portfolio_get_benchmark (portfolio), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, sextant_portfolio_get_base_currency (portfolio), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (self->store, error, "Cannot save the portfolio");
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
replace_holdings (SextantPortfolioStore  *self,
                  gint64                  id,
                  SextantPortfolio       *portfolio,
                  GError                **error)
{
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;

  clear = sextant_store_prepare (self->store, "DELETE FROM holdings WHERE portfolio_id = ?", error);
  insert = clear == NULL ? NULL
                         : sextant_store_prepare (self->store,
                                                  "INSERT INTO holdings (portfolio_id, symbol, "
                                                  "quantity, weight, currency, min_weight, max_weight, "
                                                  "cost_basis, kind, coupon, maturity, frequency, "
                                                  "day_count, spread) "
                                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                                  error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (clear, 1, id);
  if (!sextant_store_step_done (self->store, clear, error))
    return FALSE;

  for (guint i = 0; i < sextant_portfolio_get_n_holdings (portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);

      sqlite3_bind_int64 (insert, 1, id);
      sqlite3_bind_text (insert, 2, h->symbol, -1, SQLITE_STATIC);
      bind_optional (insert, 3, h->quantity);
      bind_optional (insert, 4, h->weight);
      sqlite3_bind_text (insert, 5, h->currency != NULL ? h->currency : "USD", -1, SQLITE_STATIC);
      bind_optional (insert, 6, h->min_weight);
      bind_optional (insert, 7, h->max_weight);
      bind_optional (insert, 8, h->cost_basis);
      bind_kind (insert, 9, h);
      if (!sextant_store_step_done (self->store, insert, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * sextant_portfolio_store_save:
 * @self: a portfolio store
 * @portfolio: the portfolio; one of the same name is replaced
 * @error: return location
 *
 * Writes the portfolio, its benchmark and all its holdings with their bounds in one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_portfolio_store_save (SextantPortfolioStore  *self,
                              SextantPortfolio       *portfolio,
                              GError                **error)
{
  g_autofree char *name = NULL;
  gboolean existed;
  gint64 id;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), FALSE);
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (portfolio), FALSE);

  if (!sextant_store_begin (self->store, error))
    return FALSE;
  name = g_strdup (sextant_portfolio_get_name (portfolio));
  existed = portfolio_exists (self, name, NULL) > 0;
  if ((id = upsert_portfolio (self, portfolio, error)) < 0 ||
      !replace_holdings (self, id, portfolio, error) ||
      !sextant_store_commit (self->store, error))
    {
      sextant_store_rollback (self->store);
      return FALSE;
    }
  emit_changed (self, existed ? name : NULL, name);

  return TRUE;
}

/**
 * sextant_portfolio_store_load:
 * @self: a portfolio store
 * @name: the portfolio's name
 * @error: return location; %SEXTANT_STORE_ERROR_NOT_FOUND for an unknown name
 *
 * Returns: (transfer full): the portfolio
 */
SextantPortfolio *
sextant_portfolio_store_load (SextantPortfolioStore  *self,
                              const char             *name,
                              GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), NULL);

  stmt = sextant_store_prepare (self->store,
                                "SELECT p.benchmark, h.symbol, h.quantity, h.weight, h.currency, "
                                "h.min_weight, h.max_weight, p.base_currency, h.cost_basis, "
                                "h.kind, h.coupon, h.maturity, h.frequency, h.day_count, h.spread "
                                "FROM portfolios p LEFT JOIN holdings h ON h.portfolio_id = p.id "
                                "WHERE p.name = ? ORDER BY h.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (portfolio == NULL)
        {
          portfolio = sextant_portfolio_new (name);
          sextant_portfolio_set_benchmark (portfolio, (const char *) sqlite3_column_text (stmt, 0));
          sextant_portfolio_set_base_currency (portfolio,
                                               (const char *) sqlite3_column_text (stmt, 7));
        }
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        continue;
      add_row_holding (portfolio, stmt, 1, 9);
      sextant_portfolio_set_bounds (portfolio, sextant_portfolio_get_n_holdings (portfolio) - 1,
                                    column_optional (stmt, 5, 0.0), column_optional (stmt, 6, 1.0));
      sextant_portfolio_set_cost_basis (portfolio, sextant_portfolio_get_n_holdings (portfolio) - 1,
                                        column_optional (stmt, 8, NAN));
    }
  if (portfolio == NULL)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND,
                   "No portfolio named “%s”", name);
      return NULL;
    }

  return g_steal_pointer (&portfolio);
}

/**
 * sextant_portfolio_store_list_names:
 * @self: a portfolio store
 * @error: return location
 *
 * Returns: (transfer full): the names, sorted
 */
char **
sextant_portfolio_store_list_names (SextantPortfolioStore  *self,
                                    GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), NULL);

  stmt = sextant_store_prepare (self->store, "SELECT name FROM portfolios ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));

  return g_strv_builder_end (builder);
}

/* The jobs run on portfolio @name, whose link the delete is about to set to NULL. */
static GArray *
list_job_ids (SextantPortfolioStore  *self,
              const char             *name,
              GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  stmt = sextant_store_prepare (self->store,
                                "SELECT j.id FROM jobs j JOIN portfolios p ON p.id = j.portfolio_id "
                                "WHERE p.name = ? ORDER BY j.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (self->store, error, "Cannot read the saved results");
      return NULL;
    }

  return g_steal_pointer (&ids);
}

static gboolean
delete_row (SextantPortfolioStore  *self,
            const char             *name,
            GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sextant_store_prepare (self->store, "DELETE FROM portfolios WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (!sextant_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (sextant_store_get_db (self->store)) == 0)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND,
                   "No portfolio named “%s”", name);
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_portfolio_store_delete_full:
 * @self: a portfolio store
 * @name: the portfolio's name
 * @job_ids: (out) (optional) (transfer full) (element-type gint64): the saved jobs that belonged
 *   to it, for sextant_portfolio_store_restore()
 * @error: return location; %SEXTANT_STORE_ERROR_NOT_FOUND for an unknown name
 *
 * Holdings go with it; saved results are kept, detached from it. The ids returned are what an
 * undo needs to attach them again: once detached, nothing in the database says whose they were.
 *
 * Returns: %TRUE if deleted
 */
gboolean
sextant_portfolio_store_delete_full (SextantPortfolioStore  *self,
                                     const char             *name,
                                     GArray                **job_ids,
                                     GError                **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autofree char *old_copy = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (job_ids == NULL)
    {
      if (!delete_row (self, name, error))
        return FALSE;
    }
  else
    {
      if (!sextant_store_begin (self->store, error))
        return FALSE;
      if ((ids = list_job_ids (self, name, error)) == NULL ||
          !delete_row (self, name, error) ||
          !sextant_store_commit (self->store, error))
        {
          sextant_store_rollback (self->store);
          return FALSE;
        }
      *job_ids = g_steal_pointer (&ids);
    }
  old_copy = g_strdup (name);
  emit_changed (self, old_copy, NULL);

  return TRUE;
}

/**
 * sextant_portfolio_store_delete:
 * @self: a portfolio store
 * @name: the portfolio's name
 * @error: return location; %SEXTANT_STORE_ERROR_NOT_FOUND for an unknown name
 *
 * Holdings go with it; saved results are kept, detached from it.
 *
 * Returns: %TRUE if deleted
 */
gboolean
sextant_portfolio_store_delete (SextantPortfolioStore  *self,
                                const char             *name,
                                GError                **error)
{
  return sextant_portfolio_store_delete_full (self, name, NULL, error);
}

static gboolean
attach_jobs (SextantPortfolioStore  *self,
             gint64                  portfolio_id,
             GArray                 *job_ids,
             GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (job_ids == NULL || job_ids->len == 0)
    return TRUE;
  /* Only jobs still detached: a job deleted meanwhile is gone, and one attached to another
   * portfolio since is that portfolio's now. */
  stmt = sextant_store_prepare (self->store,
                                "UPDATE jobs SET portfolio_id = ? WHERE id = ? AND portfolio_id IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < job_ids->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, portfolio_id);
      sqlite3_bind_int64 (stmt, 2, g_array_index (job_ids, gint64, i));
      if (!sextant_store_step_done (self->store, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * sextant_portfolio_store_restore:
 * @self: a portfolio store
 * @portfolio: the portfolio as it was deleted
 * @job_ids: (nullable) (element-type gint64): the jobs sextant_portfolio_store_delete_full()
 *   returned
 * @error: return location; %SEXTANT_STORE_ERROR_CONSTRAINT when the name was taken meanwhile
 *
 * Undoes a delete: stores @portfolio again and gives it back its saved results, in one
 * transaction.
 *
 * Returns: %TRUE if it was restored
 */
gboolean
sextant_portfolio_store_restore (SextantPortfolioStore  *self,
                                 SextantPortfolio       *portfolio,
                                 GArray                 *job_ids,
                                 GError                **error)
{
  g_autofree char *name = NULL;
  int exists;
  gint64 id;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), FALSE);
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (portfolio), FALSE);

  name = g_strdup (sextant_portfolio_get_name (portfolio));
  if (!sextant_store_begin (self->store, error))
    return FALSE;
  if ((exists = portfolio_exists (self, name, error)) != 0)
    {
      if (exists > 0)
        g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT,
                     "A portfolio named “%s” already exists", name);
      sextant_store_rollback (self->store);
      return FALSE;
    }
  if ((id = upsert_portfolio (self, portfolio, error)) < 0 ||
      !replace_holdings (self, id, portfolio, error) ||
      !attach_jobs (self, id, job_ids, error) ||
      !sextant_store_commit (self->store, error))
    {
      sextant_store_rollback (self->store);
      return FALSE;
    }
  emit_changed (self, NULL, name);

  return TRUE;
}

/**
 * sextant_portfolio_store_create:
 * @self: a portfolio store
 * @portfolio: a new portfolio
 * @error: return location; %SEXTANT_STORE_ERROR_CONSTRAINT when the name is taken
 *
 * Saves @portfolio unless one of the same name exists, which sextant_portfolio_store_save()
 * would replace.
 *
 * Returns: %TRUE if it was created
 */
gboolean
sextant_portfolio_store_create (SextantPortfolioStore  *self,
                                SextantPortfolio       *portfolio,
                                GError                **error)
{
  int exists;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), FALSE);
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (portfolio), FALSE);

  if ((exists = portfolio_exists (self, sextant_portfolio_get_name (portfolio), error)) < 0)
    return FALSE;
  if (exists)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT,
                   "A portfolio named “%s” already exists", sextant_portfolio_get_name (portfolio));
      return FALSE;
    }

  return sextant_portfolio_store_save (self, portfolio, error);
}

/**
 * sextant_portfolio_store_rename:
 * @self: a portfolio store
 * @name: the portfolio's name
 * @new_name: its new name
 * @error: return location; %SEXTANT_STORE_ERROR_NOT_FOUND for an unknown @name,
 *   %SEXTANT_STORE_ERROR_CONSTRAINT when @new_name is taken
 *
 * Holdings and saved results follow the portfolio, which they refer to by id.
 *
 * Returns: %TRUE if renamed
 */
gboolean
sextant_portfolio_store_rename (SextantPortfolioStore  *self,
                                const char             *name,
                                const char             *new_name,
                                GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int exists;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && new_name != NULL, FALSE);

  if (g_strcmp0 (name, new_name) != 0 &&
      (exists = portfolio_exists (self, new_name, error)) != 0)
    {
      if (exists > 0)
        g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT,
                     "A portfolio named “%s” already exists", new_name);
      return FALSE;
    }
  stmt = sextant_store_prepare (self->store,
                                "UPDATE portfolios SET name = ?2, updated_at = unixepoch() "
                                "WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, new_name, -1, SQLITE_STATIC);
  if (!sextant_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (sextant_store_get_db (self->store)) == 0)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND,
                   "No portfolio named “%s”", name);
      return FALSE;
    }
  {
    /* Copies: a handler may free the caller's strings (a window's own name of the portfolio). */
    g_autofree char *old_copy = g_strdup (name);
    g_autofree char *new_copy = g_strdup (new_name);

    emit_changed (self, old_copy, new_copy);
  }

  return TRUE;
}

/* 1 if the demo portfolio was seeded once (see the `seeded` table), 0 if not and the store has
 * no portfolio either, 2 if not but the user has portfolios of their own, -1 on error. */
static int
demo_state (SextantPortfolioStore  *self,
            GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sextant_store_prepare (self->store,
                                "SELECT EXISTS (SELECT 1 FROM seeded WHERE what = 'demo-portfolio'), "
                                "EXISTS (SELECT 1 FROM portfolios)", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (self->store, error, "Cannot read the portfolios");
      return -1;
    }
  if (sqlite3_column_int (stmt, 0))
    return 1;

  return sqlite3_column_int (stmt, 1) ? 2 : 0;
}

static gboolean
seed_demo (SextantPortfolioStore  *self,
           gboolean                save,
           GError                **error)
{
  g_autoptr(SextantPortfolio) demo = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id;

  if (save && ((demo = sextant_demo_data_load_portfolio (error)) == NULL ||
               (id = upsert_portfolio (self, demo, error)) < 0 ||
               !replace_holdings (self, id, demo, error)))
    return FALSE;
  stmt = sextant_store_prepare (self->store,
                                "INSERT OR IGNORE INTO seeded (what) VALUES ('demo-portfolio')",
                                error);

  return stmt != NULL && sextant_store_step_done (self->store, stmt, error);
}

/**
 * sextant_portfolio_store_ensure_demo:
 * @self: a portfolio store
 * @error: return location
 *
 * Seeds the demo portfolio (data/demo/demo-portfolio.json) once in the life of a database, on
 * its first use, so that a first launch shows something real. A database whose user already
 * has portfolios does not get it, and once seeded it is never re-created: a user who deletes
 * it does not see it come back. The `seeded` table remembers it; the check and the seeding are
 * one transaction, so the app and the CLI starting together seed it once.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_portfolio_store_ensure_demo (SextantPortfolioStore  *self,
                                     GError                **error)
{
  int state;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), FALSE);

  if ((state = demo_state (self, error)) < 0)
    return FALSE;
  if (state == 1)
    return TRUE;
  if (!sextant_store_begin (self->store, error))
    return FALSE;
  /* Read again inside the transaction: another process may have seeded it meanwhile. */
  if ((state = demo_state (self, error)) < 0 ||
      (state != 1 && !seed_demo (self, state == 0, error)) ||
      !sextant_store_commit (self->store, error))
    {
      sextant_store_rollback (self->store);
      return FALSE;
    }

  return TRUE;
}

static gint64
insert_job (SextantPortfolioStore  *self,
            const char             *portfolio,
            const char             *kind,
            const char             *parameters,
            const char             *inputs,
            GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id;

  /* Parameters and inputs name the user's holdings: sealed with a key (bound to the row id). */
  if ((id = sextant_store_next_row_id (self->store, "jobs", error)) == 0)
    return -1;
  stmt = sextant_store_prepare (self->store,
                                "INSERT INTO jobs (id, portfolio_id, kind, parameters, inputs) VALUES "
                                "(?5, (SELECT id FROM portfolios WHERE name = ?1), ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, portfolio, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sextant_store_bind_text_sealed (self->store, stmt, 3, "jobs.parameters", id, parameters != NULL ? parameters : "{}");
  sextant_store_bind_text_sealed (self->store, stmt, 4, "jobs.inputs", id, inputs != NULL ? inputs : "{}");
  sqlite3_bind_int64 (stmt, 5, id);
  if (!sextant_store_step_done (self->store, stmt, error))
    return -1;

  return id;
}

static gboolean
check_json (const char  *what,
            const char  *text,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (text == NULL || json_parser_load_from_data (parser, text, -1, &local_error))
    return TRUE;
  g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT,
               "The %s are not valid JSON: %s", what, local_error->message);

  return FALSE;
}

/**
 * sextant_portfolio_store_save_result:
 * @self: a portfolio store
 * @portfolio: (nullable): the portfolio the job ran on
 * @kind: what was computed, such as `optimize.min-variance`
 * @parameters: (nullable): the parameters, JSON text
 * @inputs: (nullable): the inputs, JSON text
 * @result: the result, JSON text
 * @error: return location
 *
 * Saves a job and its result in one transaction, so that the result can be reopened and re-run.
 *
 * Returns: the result's id, or -1
 */
gint64
sextant_portfolio_store_save_result (SextantPortfolioStore  *self,
                                     const char             *portfolio,
                                     const char             *kind,
                                     const char             *parameters,
                                     const char             *inputs,
                                     const char             *result,
                                     GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 job_id, result_id = 0;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), -1);
  g_return_val_if_fail (kind != NULL && result != NULL, -1);

  if (!check_json ("parameters", parameters, error) || !check_json ("inputs", inputs, error) ||
      !check_json ("results", result, error) || !sextant_store_check_writable (self->store, error) ||
      !sextant_store_begin (self->store, error))
    return -1;
  if ((job_id = insert_job (self, portfolio, kind, parameters, inputs, error)) < 0 ||
      (result_id = sextant_store_next_row_id (self->store, "results", error)) == 0 ||
      (stmt = sextant_store_prepare (self->store,
                                     "INSERT INTO results (id, job_id, result) VALUES (?, ?, ?)",
                                     error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, result_id);
  sqlite3_bind_int64 (stmt, 2, job_id);
  sextant_store_bind_text_sealed (self->store, stmt, 3, "results.result", result_id, result);
  if (!sextant_store_step_done (self->store, stmt, error) || !sextant_store_commit (self->store, error))
    goto fail;

  return result_id;

fail:
  sextant_store_rollback (self->store);
  return -1;
}

/**
 * sextant_portfolio_store_delete_result:
 * @self: a portfolio store
 * @result_id: an id from sextant_portfolio_store_save_result()
 * @error: return location; %SEXTANT_STORE_ERROR_NOT_FOUND for an unknown id
 *
 * Deletes a saved result with its job (each job saved here has one result).
 *
 * Returns: %TRUE if it was deleted
 */
gboolean
sextant_portfolio_store_delete_result (SextantPortfolioStore  *self,
                                       gint64                  result_id,
                                       GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), FALSE);

  if (!sextant_store_check_writable (self->store, error))
    return FALSE;
  stmt = sextant_store_prepare (self->store,
                                "DELETE FROM jobs WHERE id = (SELECT job_id FROM results WHERE id = ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, result_id);
  if (!sextant_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (sextant_store_get_db (self->store)) == 0)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND,
                   "No saved result with id %" G_GINT64_FORMAT, result_id);
      return FALSE;
    }

  return TRUE;
}

#define RESULT_COLUMNS \
  "SELECT r.id, j.id, p.name, j.kind, j.parameters, j.inputs, r.result, r.created_at " \
  "FROM results r JOIN jobs j ON j.id = r.job_id LEFT JOIN portfolios p ON p.id = j.portfolio_id "

/* A sealed value whose key is not at hand reads as an empty JSON object, as a result that holds
 * nothing: the list still shows when and what was run. */
static char *
dup_json (SextantStore *store,
          sqlite3_stmt *stmt,
          int           column,
          const char   *where,
          gint64        row_id)
{
  char *text = sextant_store_column_dup_text (store, stmt, column, where, row_id, NULL);

  return text != NULL ? text : g_strdup ("{}");
}

static SextantSavedResult *
result_from_row (SextantStore *store,
                 sqlite3_stmt *stmt)
{
  SextantSavedResult *saved = g_new0 (SextantSavedResult, 1);

  saved->result_id = sqlite3_column_int64 (stmt, 0);
  saved->job_id = sqlite3_column_int64 (stmt, 1);
  saved->portfolio = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  saved->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  saved->parameters = dup_json (store, stmt, 4, "jobs.parameters", saved->job_id);
  saved->inputs = dup_json (store, stmt, 5, "jobs.inputs", saved->job_id);
  saved->result = dup_json (store, stmt, 6, "results.result", saved->result_id);
  saved->created_at = sqlite3_column_int64 (stmt, 7);

  return saved;
}

/**
 * sextant_portfolio_store_get_result:
 * @self: a portfolio store
 * @result_id: an id from sextant_portfolio_store_save_result()
 * @error: return location; %SEXTANT_STORE_ERROR_NOT_FOUND for an unknown id
 *
 * Returns: (transfer full): the result with its job's parameters and inputs
 */
SextantSavedResult *
sextant_portfolio_store_get_result (SextantPortfolioStore  *self,
                                    gint64                  result_id,
                                    GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), NULL);

  stmt = sextant_store_prepare (self->store, RESULT_COLUMNS "WHERE r.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, result_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND,
                   "No saved result with id %" G_GINT64_FORMAT, result_id);
      return NULL;
    }

  return result_from_row (self->store, stmt);
}

/**
 * sextant_portfolio_store_list_results:
 * @self: a portfolio store
 * @portfolio: (nullable): only this portfolio's results
 * @kind: (nullable): only this kind
 * @error: return location
 *
 * Returns: (transfer container) (element-type SextantSavedResult): newest first
 */
GPtrArray *
sextant_portfolio_store_list_results (SextantPortfolioStore  *self,
                                      const char             *portfolio,
                                      const char             *kind,
                                      GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *results;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), NULL);

  stmt = sextant_store_prepare (self->store,
                                RESULT_COLUMNS "WHERE (?1 IS NULL OR p.name = ?1) "
                                "AND (?2 IS NULL OR j.kind = ?2) ORDER BY r.id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, portfolio, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_saved_result_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (results, result_from_row (self->store, stmt));

  return results;
}

/**
 * sextant_portfolio_store_count_clear:
 * @store: a database
 * @error: return location
 *
 * Returns: how many saved jobs and results still hold clear text, or -1
 */
gint64
sextant_portfolio_store_count_clear (SextantStore  *store,
                                     GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), -1);

  stmt = sextant_store_prepare (store, "SELECT (SELECT count(*) FROM jobs WHERE typeof (inputs) = 'text' "
                                "AND inputs != '') + (SELECT count(*) FROM results WHERE typeof (result) = 'text')",
                                error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (store, error, "Cannot count the clear results");
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/* Seals up to @max_rows rows of @table whose @column is clear (@column2 too, if given). */
static gint64
seal_rows (SextantStore  *store,
           const char    *table,
           const char    *column,
           const char    *column2,
           guint          max_rows,
           GError       **error)
{
  g_autofree char *select_sql = g_strdup_printf ("SELECT id, %s, %s FROM %s WHERE typeof (%s) = 'text' AND %s != '' "
                                                 "ORDER BY id LIMIT ?", column, column2 != NULL ? column2 : "NULL",
                                                 table, column, column);
  g_autofree char *update_sql = g_strdup_printf ("UPDATE %s SET %s = ?1%s%s%s WHERE id = ?3", table, column,
                                                 column2 != NULL ? ", " : "", column2 != NULL ? column2 : "",
                                                 column2 != NULL ? " = ?2" : "");
  g_autofree char *where = g_strdup_printf ("%s.%s", table, column);
  g_autofree char *where2 = g_strdup_printf ("%s.%s", table, column2);
  g_autoptr(sqlite3_stmt) select = sextant_store_prepare (store, select_sql, error);
  g_autoptr(sqlite3_stmt) update = select != NULL ? sextant_store_prepare (store, update_sql, error) : NULL;
  gint64 n = 0;

  if (update == NULL)
    return -1;
  sqlite3_bind_int (select, 1, max_rows);
  while (sqlite3_step (select) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (select, 0);

      sextant_store_bind_text_sealed (store, update, 1, where, id, (const char *) sqlite3_column_text (select, 1));
      if (column2 != NULL)
        sextant_store_bind_text_sealed (store, update, 2, where2, id, (const char *) sqlite3_column_text (select, 2));
      sqlite3_bind_int64 (update, 3, id);
      if (!sextant_store_step_done (store, update, error))
        return -1;
      n++;
    }

  return n;
}

/**
 * sextant_portfolio_store_seal_batch:
 * @store: a database with a key (sextant_store_set_key())
 * @max_rows: how many rows at most
 * @error: return location
 *
 * One step of encrypting the saved results in place, in one transaction (see
 * sextant_conversation_store_seal_batch()).
 *
 * Returns: how many rows were sealed (0 once none is left), or -1
 */
gint64
sextant_portfolio_store_seal_batch (SextantStore  *store,
                                    guint          max_rows,
                                    GError       **error)
{
  gint64 jobs, results = 0;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), -1);
  g_return_val_if_fail (sextant_store_get_key (store) != NULL, -1);

  if (!sextant_store_begin (store, error))
    return -1;
  if ((jobs = seal_rows (store, "jobs", "inputs", "parameters", max_rows, error)) < 0 ||
      (jobs < max_rows && (results = seal_rows (store, "results", "result", NULL, max_rows - jobs, error)) < 0) ||
      !sextant_store_commit (store, error))
    {
      sextant_store_rollback (store);
      return -1;
    }

  return jobs + results;
}

/* Each portfolio's id, name and everything stored about it, as one string per portfolio; with
 * the connection's data_version, which moves when another connection commits. */
static gboolean
take_snapshot (SextantPortfolioStore  *self,
               GHashTable            **snapshot,
               gint64                 *data_version,
               GError                **error)
{
  g_autoptr(sqlite3_stmt) version = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) states = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        (GDestroyNotify) portfolio_state_free);
  int rc;

  version = sextant_store_prepare (self->store, "PRAGMA data_version", error);
  if (version == NULL)
    return FALSE;
  if (sqlite3_step (version) != SQLITE_ROW)
    {
      sextant_store_set_error_from_db (self->store, error, "Cannot read the data version");
      return FALSE;
    }
  *data_version = sqlite3_column_int64 (version, 0);
  stmt = sextant_store_prepare (self->store,
                                "SELECT p.id, p.name, quote (p.base_currency) || quote (p.benchmark) || "
                                "p.updated_at || ifnull ((SELECT group_concat (quote (h.symbol) || "
                                "quote (h.quantity) || quote (h.weight) || quote (h.currency) || "
                                "quote (h.min_weight) || quote (h.max_weight) || quote (h.cost_basis) || "
                                "quote (h.kind) || quote (h.coupon) || quote (h.maturity) || "
                                "quote (h.frequency) || quote (h.day_count) || quote (h.spread), ';') "
                                "FROM (SELECT * FROM holdings WHERE portfolio_id = p.id ORDER BY id) h), '') "
                                "FROM portfolios p", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PortfolioState *state = g_new0 (PortfolioState, 1);
      gint64 *id = g_new (gint64, 1);

      *id = sqlite3_column_int64 (stmt, 0);
      state->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      state->signature = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_hash_table_replace (states, id, state);
    }
  if (rc != SQLITE_DONE)
    {
      sextant_store_set_error_from_db (self->store, error, "Cannot list the portfolios");
      return FALSE;
    }
  *snapshot = g_steal_pointer (&states);

  return TRUE;
}

/**
 * sextant_portfolio_store_check_changes:
 * @self: a portfolio store
 * @error: return location
 *
 * Notices the portfolios another connection to the database (`sextant-cli`, another window's
 * worker, another instance) created, saved, renamed or deleted since the last call, and emits
 * #SextantPortfolioStore::changed for each, as if they had been made through this store. The
 * first call only takes note of what is stored. Cheap when nothing changed (one PRAGMA), so a
 * window may call it on a timer.
 *
 * Returns: %TRUE unless the database could not be read
 */
gboolean
sextant_portfolio_store_check_changes (SextantPortfolioStore  *self,
                                       GError                **error)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  GHashTable *after = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 version = 0;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_STORE (self), FALSE);

  if (self->seen != NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (self->store, "PRAGMA data_version", error);

      if (stmt == NULL)
        return FALSE;
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sextant_store_set_error_from_db (self->store, error, "Cannot read the data version");
          return FALSE;
        }
      if (sqlite3_column_int64 (stmt, 0) == self->data_version)
        return TRUE;
    }
  if (!take_snapshot (self, &after, &version, error))
    return FALSE;
  before = g_steal_pointer (&self->seen);
  self->seen = after;
  self->data_version = version;
  if (before == NULL)
    return TRUE;

  /* Pairs of names (old, new; NULL for none), collected first: a handler may use the store. */
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PortfolioState *was = value;
      PortfolioState *now = g_hash_table_lookup (after, key);

      if (now == NULL)
        {
          g_ptr_array_add (changes, g_strdup (was->name));
          g_ptr_array_add (changes, NULL);
          continue;
        }
      if (!g_str_equal (was->name, now->name))
        {
          g_ptr_array_add (changes, g_strdup (was->name));
          g_ptr_array_add (changes, g_strdup (now->name));
        }
      if (g_strcmp0 (was->signature, now->signature) != 0)
        {
          g_ptr_array_add (changes, g_strdup (now->name));
          g_ptr_array_add (changes, g_strdup (now->name));
        }
    }
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (before, key))
      {
        g_ptr_array_add (changes, NULL);
        g_ptr_array_add (changes, g_strdup (((PortfolioState *) value)->name));
      }

  for (guint i = 0; i + 1 < changes->len; i += 2)
    g_signal_emit (self, signals [CHANGED], 0, changes->pdata[i], changes->pdata[i + 1]);

  return TRUE;
}
