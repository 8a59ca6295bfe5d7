#define G_LOG_DOMAIN "test-workspace"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

#define DEMO_NAME "Dow Blue Chips (demo)"

/* Each test has its own database, found through SEXTANT_DATABASE as the app finds its own. */
typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = sextant_test_make_temp_dir ();
  f->path = g_build_filename (f->dir, "sextant.db", NULL);
  g_setenv ("SEXTANT_DATABASE", f->path, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  const char *name;
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_unsetenv ("SEXTANT_DATABASE");
  g_free (f->path);
  g_free (f->dir);
}

/* The portfolio names in the database, as a workspace opening it sees them. */
static char **
open_and_list (void)
{
  g_autoptr(SextantWorkspace) workspace = sextant_workspace_new ();
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(GError) error = NULL;
  char **names;

  g_assert_true (sextant_workspace_open_store (workspace, &error));
  g_assert_no_error (error);
  portfolios = sextant_portfolio_store_new (sextant_workspace_get_store (workspace));
  names = sextant_portfolio_store_list_names (portfolios, &error);
  g_assert_no_error (error);

  return names;
}

static void
with_portfolios (void (*func) (SextantPortfolioStore *portfolios))
{
  g_autoptr(SextantWorkspace) workspace = sextant_workspace_new ();
  g_autoptr(SextantPortfolioStore) portfolios = NULL;

  g_assert_true (sextant_workspace_open_store (workspace, NULL));
  portfolios = sextant_portfolio_store_new (sextant_workspace_get_store (workspace));
  func (portfolios);
}

static void
delete_demo (SextantPortfolioStore *portfolios)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_portfolio_store_delete (portfolios, DEMO_NAME, &error));
  g_assert_no_error (error);
}

/* A fresh install: the workspace (the app's, as the CLI's) seeds data/demo/demo-portfolio.json,
 * ten Dow stocks with MSFT first at 400 shares, once; deleted, it is not re-created. */
static void
test_demo_seeded_once (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(GStrv) first = NULL, again = NULL, after_delete = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(SextantPortfolio) demo = NULL;
  g_autoptr(GError) error = NULL;

  first = open_and_list ();
  g_assert_cmpstrv (first, ((const char *[]) { DEMO_NAME, NULL }));
  store = sextant_schema_open (f->path, &error);
  g_assert_no_error (error);
  portfolios = sextant_portfolio_store_new (store);
  demo = sextant_portfolio_store_load (portfolios, DEMO_NAME, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sextant_portfolio_get_n_holdings (demo), ==, 10);
  g_assert_cmpstr (sextant_portfolio_get_holding (demo, 0)->symbol, ==, "MSFT");
  g_assert_cmpfloat (sextant_portfolio_get_holding (demo, 0)->quantity, ==, 400);
  g_clear_object (&portfolios);
  g_clear_object (&store);

  /* Opening again adds nothing. */
  again = open_and_list ();
  g_assert_cmpstrv (again, ((const char *[]) { DEMO_NAME, NULL }));

  with_portfolios (delete_demo);
  after_delete = open_and_list ();
  g_assert_cmpuint (g_strv_length (after_delete), ==, 0);
}

/* Seeding is for a first use: a database that already holds the user's portfolio when the
 * workspace first opens it (a CLI import, say) is left as it is, and stays so. */
static void
test_not_seeded_over_own_book (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantPortfolioStore) portfolios = NULL;
  g_autoptr(SextantPortfolio) mine = sextant_portfolio_new ("Mine");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL, again = NULL;

  store = sextant_schema_open (f->path, &error);
  g_assert_no_error (error);
  portfolios = sextant_portfolio_store_new (store);
  sextant_portfolio_add_holding (mine, "KO", 10, NAN, "USD");
  g_assert_true (sextant_portfolio_store_save (portfolios, mine, &error));
  g_clear_object (&portfolios);
  g_clear_object (&store);

  names = open_and_list ();
  g_assert_cmpstrv (names, ((const char *[]) { "Mine", NULL }));
  again = open_and_list ();
  g_assert_cmpstrv (again, ((const char *[]) { "Mine", NULL }));
}

/* A database from before the `seeded` table (schema 3): one with portfolios counts as seeded
 * (the CLI seeded the demo there, or the user has a book); one without gets the demo once. */
static void
test_upgrade (Fixture       *f,
              gconstpointer  data)
{
  guint n = 0;
  const SextantMigration *all = sextant_schema_get_migrations (&n);
  g_autoptr(SextantStore) old = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  gboolean with_portfolio = GPOINTER_TO_INT (data);

  old = sextant_store_open (f->path, all, 3, &error);
  g_assert_no_error (error);
  if (with_portfolio)
    g_assert_true (sextant_store_exec (old, "INSERT INTO portfolios (name) VALUES ('Old')", &error));
  g_assert_no_error (error);
  g_clear_object (&old);

  names = open_and_list ();
  if (with_portfolio)
    g_assert_cmpstrv (names, ((const char *[]) { "Old", NULL }));
  else
    g_assert_cmpstrv (names, ((const char *[]) { DEMO_NAME, NULL }));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/sextant/workspace/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("demo-seeded-once", test_demo_seeded_once, NULL);
  ADD ("not-seeded-over-own-book", test_not_seeded_over_own_book, NULL);
  ADD ("upgrade-with-portfolios", test_upgrade, GINT_TO_POINTER (TRUE));
  ADD ("upgrade-without-portfolios", test_upgrade, GINT_TO_POINTER (FALSE));

  return g_test_run ();
}
