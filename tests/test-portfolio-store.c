#define G_LOG_DOMAIN "test-portfolio-store"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

typedef struct
{
  char                  *dir;
  char                  *path;
  SextantStore          *store;
  SextantPortfolioStore *portfolios;
} Fixture;

static void
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = sextant_schema_open (f->path, &error);
  g_assert_no_error (error);
  f->portfolios = sextant_portfolio_store_new (f->store);
}

static void
close_store (Fixture *f)
{
  g_clear_object (&f->portfolios);
  g_assert_finalize_object (f->store);
  f->store = NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = sextant_test_make_temp_dir ();
  f->path = g_build_filename (f->dir, "portfolios.db", NULL);
  open_store (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  const char *name;
  g_autoptr(GDir) dir = NULL;

  close_store (f);
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("Growth");
  g_autoptr(SextantPortfolio) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const SextantHolding *h;

  sextant_portfolio_set_benchmark (portfolio, "^GSPC");
  sextant_portfolio_add_holding (portfolio, "MSFT", NAN, 0.6, "USD");
  sextant_portfolio_add_holding (portfolio, "SAP", 12, NAN, "EUR");
  sextant_portfolio_set_bounds (portfolio, 0, 0.1, 0.7);
  g_assert_true (sextant_portfolio_store_save (f->portfolios, portfolio, &error));
  g_assert_no_error (error);

  /* Reopen the file: what comes back was on disk. */
  close_store (f);
  open_store (f);
  loaded = sextant_portfolio_store_load (f->portfolios, "Growth", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sextant_portfolio_get_benchmark (loaded), ==, "^GSPC");
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (loaded), ==, 2);
  h = sextant_portfolio_get_holding (loaded, 0);
  g_assert_cmpstr (h->symbol, ==, "MSFT");
  g_assert_true (isnan (h->quantity));
  g_assert_cmpfloat (h->weight, ==, 0.6);
  g_assert_cmpfloat (h->min_weight, ==, 0.1);
  g_assert_cmpfloat (h->max_weight, ==, 0.7);
  h = sextant_portfolio_get_holding (loaded, 1);
  g_assert_cmpfloat (h->quantity, ==, 12);
  g_assert_cmpstr (h->currency, ==, "EUR");
  g_assert_cmpfloat (h->max_weight, ==, 1.0);
}

/* Bonds keep their terms and spread (or its absence), cash its currency and amount; the
 * stock beside them stays a stock. */
static void
test_bonds_and_cash (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("Desk");
  g_autoptr(SextantPortfolio) loaded = NULL;
  g_autoptr(GError) error = NULL;
  SextantBond treasury = { 0.0425, 0, 2, SEXTANT_DAY_COUNT_ACT_ACT_ICMA, 1e6 };
  SextantBond credit = { 0.055, 0, 4, SEXTANT_DAY_COUNT_30_360, 5e5 };
  const SextantHolding *h;

  g_assert_true (sextant_day_parse_iso ("2034-11-15", &treasury.maturity));
  g_assert_true (sextant_day_parse_iso ("2031-06-30", &credit.maturity));
  sextant_portfolio_add_holding (portfolio, "MSFT", 10, NAN, "USD");
  sextant_portfolio_add_bond (portfolio, "UST 4.25 2034", &treasury, NAN, "USD");
  sextant_portfolio_add_bond (portfolio, "ACME 5.5 2031", &credit, 0.012, "EUR");
  sextant_portfolio_add_cash (portfolio, "gbp", 2500);
  g_assert_true (sextant_portfolio_has_kind (portfolio, SEXTANT_HOLDING_CASH));
  g_assert_true (sextant_portfolio_store_save (f->portfolios, portfolio, &error));
  g_assert_no_error (error);

  close_store (f);
  open_store (f);
  loaded = sextant_portfolio_store_load (f->portfolios, "Desk", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (loaded), ==, 4);
  h = sextant_portfolio_get_holding (loaded, 0);
  g_assert_cmpint (h->kind, ==, SEXTANT_HOLDING_EQUITY);
  g_assert_cmpfloat (h->quantity, ==, 10);
  h = sextant_portfolio_get_holding (loaded, 1);
  g_assert_cmpint (h->kind, ==, SEXTANT_HOLDING_BOND);
  g_assert_cmpstr (h->symbol, ==, "UST 4.25 2034");
  g_assert_cmpfloat (h->bond.coupon, ==, 0.0425);
  g_assert_cmpint (h->bond.maturity, ==, treasury.maturity);
  g_assert_cmpint (h->bond.frequency, ==, 2);
  g_assert_cmpint (h->bond.day_count, ==, SEXTANT_DAY_COUNT_ACT_ACT_ICMA);
  g_assert_cmpfloat (h->bond.face, ==, 1e6);
  g_assert_cmpfloat (h->quantity, ==, 1e6);
  g_assert_true (isnan (h->spread));
  h = sextant_portfolio_get_holding (loaded, 2);
  g_assert_cmpint (h->kind, ==, SEXTANT_HOLDING_BOND);
  g_assert_cmpint (h->bond.day_count, ==, SEXTANT_DAY_COUNT_30_360);
  g_assert_cmpint (h->bond.frequency, ==, 4);
  g_assert_cmpfloat (h->spread, ==, 0.012);
  g_assert_cmpstr (h->currency, ==, "EUR");
  h = sextant_portfolio_get_holding (loaded, 3);
  g_assert_cmpint (h->kind, ==, SEXTANT_HOLDING_CASH);
  g_assert_cmpstr (h->symbol, ==, "CASH:GBP");
  g_assert_cmpstr (h->currency, ==, "GBP");
  g_assert_cmpfloat (h->quantity, ==, 2500);

  /* A copy keeps the terms; amounts edited by symbol (the portfolio window) take them back. */
  {
    g_autoptr(SextantPortfolio) copy = sextant_portfolio_new ("Copy");
    g_autoptr(SextantPortfolio) edited = sextant_portfolio_new ("Desk");

    for (guint i = 0; i < sextant_portfolio_get_n_holdings (loaded); i++)
      sextant_portfolio_copy_holding (copy, sextant_portfolio_get_holding (loaded, i));
    h = sextant_portfolio_get_holding (copy, 2);
    g_assert_cmpint (h->kind, ==, SEXTANT_HOLDING_BOND);
    g_assert_cmpfloat (h->spread, ==, 0.012);
    g_assert_cmpfloat (h->bond.coupon, ==, 0.055);

    sextant_portfolio_add_holding (edited, "MSFT", 12, NAN, "USD");
    sextant_portfolio_add_holding (edited, "UST 4.25 2034", 2e6, NAN, "USD");
    sextant_portfolio_take_terms (edited, loaded);
    g_assert_cmpint (sextant_portfolio_get_holding (edited, 0)->kind, ==, SEXTANT_HOLDING_EQUITY);
    h = sextant_portfolio_get_holding (edited, 1);
    g_assert_cmpint (h->kind, ==, SEXTANT_HOLDING_BOND);
    g_assert_cmpfloat (h->bond.face, ==, 2e6);
    g_assert_cmpfloat (h->bond.coupon, ==, 0.0425);
  }
}

static void
test_replace_and_delete (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("P");
  g_autoptr(SextantPortfolio) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  sextant_portfolio_add_holding (portfolio, "A", 1, NAN, "USD");
  sextant_portfolio_add_holding (portfolio, "B", 2, NAN, "USD");
  g_assert_true (sextant_portfolio_store_save (f->portfolios, portfolio, &error));
  g_assert_true (sextant_portfolio_remove_holding (portfolio, "A"));
  g_assert_true (sextant_portfolio_store_save (f->portfolios, portfolio, &error));
  loaded = sextant_portfolio_store_load (f->portfolios, "P", &error);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (loaded), ==, 1);

  names = sextant_portfolio_store_list_names (f->portfolios, &error);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_true (sextant_portfolio_store_delete (f->portfolios, "P", &error));
  g_assert_false (sextant_portfolio_store_delete (f->portfolios, "P", &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&loaded);
  loaded = sextant_portfolio_store_load (f->portfolios, "P", &error);
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND);
}

static void
record_change_cb (SextantPortfolioStore *store,
                  const char            *old_name,
                  const char            *new_name,
                  GString               *log)
{
  g_string_append_printf (log, "%s>%s;", old_name != NULL ? old_name : "-",
                          new_name != NULL ? new_name : "-");
}

/* Every change through the store is signalled with the names before and after; a refused one
 * is not. Rename keeps the holdings and refuses an empty or taken name. */
static void
test_create_rename_signals (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("Growth");
  g_autoptr(SextantPortfolio) other = sextant_portfolio_new ("Income");
  g_autoptr(SextantPortfolio) loaded = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_signal_connect (f->portfolios, "changed", G_CALLBACK (record_change_cb), log);
  sextant_portfolio_add_holding (portfolio, "IBM", 10, NAN, "USD");
  g_assert_true (sextant_portfolio_store_create (f->portfolios, portfolio, &error));
  g_assert_no_error (error);
  g_assert_false (sextant_portfolio_store_create (f->portfolios, portfolio, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (sextant_portfolio_store_save (f->portfolios, portfolio, &error));
  g_assert_true (sextant_portfolio_store_save (f->portfolios, other, &error));

  g_assert_false (sextant_portfolio_store_rename (f->portfolios, "Growth", "Income", &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (sextant_portfolio_store_rename (f->portfolios, "Nothing", "Else", &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (sextant_portfolio_store_rename (f->portfolios, "Growth", "Value", &error));
  loaded = sextant_portfolio_store_load (f->portfolios, "Value", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (loaded), ==, 1);
  g_assert_true (sextant_portfolio_store_delete (f->portfolios, "Value", &error));

  g_assert_cmpstr (log->str, ==, "->Growth;Growth>Growth;->Income;Growth>Value;Value>-;");
}

/* Changes made through another connection to the same file (as sextant-cli makes them) are
 * noticed by check_changes() and signalled as this store's own are: a create, a save of other
 * holdings, a rename, a delete. Nothing is signalled when nothing changed, nor again for a
 * change this store signalled itself. */
static void
test_changes_from_another_connection (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) other_store = sextant_schema_open (f->path, &error);
  g_autoptr(SextantPortfolioStore) other = NULL;
  g_autoptr(SextantPortfolio) growth = sextant_portfolio_new ("Growth");
  g_autoptr(SextantPortfolio) mine = sextant_portfolio_new ("Mine");
  g_autoptr(GString) log = g_string_new (NULL);

  g_assert_no_error (error);
  other = sextant_portfolio_store_new (other_store);
  g_signal_connect (f->portfolios, "changed", G_CALLBACK (record_change_cb), log);
  /* The first check takes note of what is there. */
  g_assert_true (sextant_portfolio_store_check_changes (f->portfolios, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==, "");

  sextant_portfolio_add_holding (growth, "IBM", 10, NAN, "USD");
  g_assert_true (sextant_portfolio_store_create (other, growth, &error));
  g_assert_true (sextant_portfolio_store_check_changes (f->portfolios, &error));
  g_assert_cmpstr (log->str, ==, "->Growth;");
  g_assert_true (sextant_portfolio_store_check_changes (f->portfolios, &error));
  g_assert_cmpstr (log->str, ==, "->Growth;");

  /* This store's own change: signalled once, not again by the next check. */
  sextant_portfolio_add_holding (mine, "KO", 5, NAN, "USD");
  g_assert_true (sextant_portfolio_store_create (f->portfolios, mine, &error));
  g_assert_true (sextant_portfolio_store_check_changes (f->portfolios, &error));
  g_assert_cmpstr (log->str, ==, "->Growth;->Mine;");
  g_string_truncate (log, 0);

  /* Other holdings within the same second: the holdings themselves differ. */
  sextant_portfolio_add_holding (growth, "MSFT", 20, NAN, "USD");
  g_assert_true (sextant_portfolio_store_save (other, growth, &error));
  g_assert_true (sextant_portfolio_store_check_changes (f->portfolios, &error));
  g_assert_cmpstr (log->str, ==, "Growth>Growth;");
  g_string_truncate (log, 0);

  g_assert_true (sextant_portfolio_store_rename (other, "Growth", "Value", &error));
  g_assert_true (sextant_portfolio_store_check_changes (f->portfolios, &error));
  g_assert_cmpstr (log->str, ==, "Growth>Value;");
  g_string_truncate (log, 0);

  g_assert_true (sextant_portfolio_store_delete (other, "Value", &error));
  g_assert_no_error (error);
  g_assert_true (sextant_portfolio_store_check_changes (f->portfolios, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==, "Value>-;");
}

/* data/demo/demo-portfolio.json: ten Dow stocks, benchmark ^GSPC, MSFT 400 shares. */
static void
test_demo_seeded_once (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPortfolio) demo = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_true (sextant_portfolio_store_ensure_demo (f->portfolios, &error));
  g_assert_no_error (error);
  demo = sextant_portfolio_store_load (f->portfolios, "Dow Blue Chips (demo)", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (demo), ==, 10);
  g_assert_cmpstr (sextant_portfolio_get_benchmark (demo), ==, "^GSPC");
  g_assert_cmpfloat (sextant_portfolio_get_holding (demo, 0)->quantity, ==, 400);

  /* Deleted once other portfolios exist, it stays deleted. */
  g_clear_object (&demo);
  demo = sextant_portfolio_new ("Mine");
  sextant_portfolio_add_holding (demo, "KO", 1, NAN, "USD");
  g_assert_true (sextant_portfolio_store_save (f->portfolios, demo, &error));
  g_assert_true (sextant_portfolio_store_delete (f->portfolios, "Dow Blue Chips (demo)", &error));
  g_assert_true (sextant_portfolio_store_ensure_demo (f->portfolios, &error));
  names = sextant_portfolio_store_list_names (f->portfolios, &error);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
}

static void
test_results (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SextantPortfolio) portfolio = sextant_portfolio_new ("P");
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantSavedResult) saved = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GArray) jobs = NULL;
  gint64 id, id2;

  sextant_portfolio_add_holding (portfolio, "A", 1, NAN, "USD");
  g_assert_true (sextant_portfolio_store_save (f->portfolios, portfolio, &error));
  id = sextant_portfolio_store_save_result (f->portfolios, "P", "optimize.min-variance",
                                            "{\"long_only\":true}",
                                            "{\"symbols\":[\"A\"],\"from\":\"2000-01-03\"}",
                                            "{\"weights\":{\"A\":1}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  id2 = sextant_portfolio_store_save_result (f->portfolios, NULL, "risk.var", NULL, NULL,
                                             "{\"var\":0.02}", &error);
  g_assert_no_error (error);

  close_store (f);
  open_store (f);
  saved = sextant_portfolio_store_get_result (f->portfolios, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->portfolio, ==, "P");
  g_assert_cmpstr (saved->kind, ==, "optimize.min-variance");
  g_assert_cmpstr (saved->parameters, ==, "{\"long_only\":true}");
  g_assert_cmpstr (saved->inputs, ==, "{\"symbols\":[\"A\"],\"from\":\"2000-01-03\"}");
  g_assert_cmpstr (saved->result, ==, "{\"weights\":{\"A\":1}}");

  list = sextant_portfolio_store_list_results (f->portfolios, NULL, NULL, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((SextantSavedResult *) g_ptr_array_index (list, 0))->result_id, ==, id2);

  /* Deleting the portfolio keeps its results, detached; restoring it (Undo) attaches them
   * again, and only those. */
  g_assert_true (sextant_portfolio_store_delete_full (f->portfolios, "P", &jobs, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpint (g_array_index (jobs, gint64, 0), ==, saved->job_id);
  g_clear_pointer (&saved, sextant_saved_result_free);
  saved = sextant_portfolio_store_get_result (f->portfolios, id, &error);
  g_assert_no_error (error);
  g_assert_null (saved->portfolio);
  g_assert_true (sextant_portfolio_store_restore (f->portfolios, portfolio, jobs, &error));
  g_assert_no_error (error);
  g_clear_pointer (&saved, sextant_saved_result_free);
  saved = sextant_portfolio_store_get_result (f->portfolios, id, &error);
  g_assert_cmpstr (saved->portfolio, ==, "P");
  g_clear_pointer (&saved, sextant_saved_result_free);
  saved = sextant_portfolio_store_get_result (f->portfolios, id2, &error);
  g_assert_null (saved->portfolio);
  /* Restoring over a name taken meanwhile is refused. */
  g_assert_false (sextant_portfolio_store_restore (f->portfolios, portfolio, jobs, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (sextant_portfolio_store_delete (f->portfolios, "P", &error));
  g_clear_pointer (&saved, sextant_saved_result_free);
  saved = sextant_portfolio_store_get_result (f->portfolios, id, &error);
  g_assert_no_error (error);
  g_assert_null (saved->portfolio);

  /* Deleting a result deletes it alone, once. */
  g_assert_true (sextant_portfolio_store_delete_result (f->portfolios, id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&saved, sextant_saved_result_free);
  saved = sextant_portfolio_store_get_result (f->portfolios, id, &error);
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (sextant_portfolio_store_delete_result (f->portfolios, id, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sextant_portfolio_store_list_results (f->portfolios, NULL, NULL, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((SextantSavedResult *) g_ptr_array_index (list, 0))->result_id, ==, id2);
}

static void
test_bad_json_rejected (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 id = sextant_portfolio_store_save_result (f->portfolios, NULL, "risk.var", "{", NULL,
                                                   "{}", &error);

  g_assert_cmpint (id, ==, -1);
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "parameters"));
  g_clear_error (&error);
  list = sextant_portfolio_store_list_results (f->portfolios, NULL, NULL, &error);
  g_assert_cmpuint (list->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sextant/market/portfolio-store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("round-trip", test_round_trip);
  ADD ("bonds-and-cash", test_bonds_and_cash);
  ADD ("replace-and-delete", test_replace_and_delete);
  ADD ("create-rename-signals", test_create_rename_signals);
  ADD ("changes-from-another-connection", test_changes_from_another_connection);
  ADD ("demo-seeded-once", test_demo_seeded_once);
  ADD ("results", test_results);
  ADD ("bad-json-rejected", test_bad_json_rejected);
#undef ADD

  return g_test_run ();
}
