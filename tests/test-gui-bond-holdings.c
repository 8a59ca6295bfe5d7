#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "sextant-application.h"
#include "sextant-bond-dialog.h"
#include "sextant-portfolio-choices.h"
#include "sextant-portfolio-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

/* Bonds as holdings in the Portfolio window (issue 17): entered through Add Bond…, shown with
 * their terms, edited, removed with Undo, and saved with their terms. The terms asserted are
 * the ones typed here; the store round trip reads them back through the core's store. */

static SextantWorkspace *workspace;

/* The day the dialogs take as today, so that "in the past" does not depend on the clock. */
static gint32 today;

static gpointer
child (SextantPortfolioWindow *window,
       const char             *id)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), SEXTANT_TYPE_PORTFOLIO_WINDOW, id);
}

static gpointer
field (SextantBondDialog *dialog,
       const char        *id)
{
  return gtk_widget_get_template_child (GTK_WIDGET (dialog), SEXTANT_TYPE_BOND_DIALOG, id);
}

static int
count_rows (SextantPortfolioWindow *window)
{
  int n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (child (window, "holdings_list")); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;

  return n;
}

static AdwExpanderRow *
row_titled (SextantPortfolioWindow *window,
            const char             *title)
{
  for (GtkWidget *c = gtk_widget_get_first_child (child (window, "holdings_list")); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), title) == 0)
      return ADW_EXPANDER_ROW (c);

  return NULL;
}

static guint
index_of (SextantPortfolioWindow *window,
          const char             *title)
{
  guint i = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (child (window, "holdings_list")); c != NULL;
       c = gtk_widget_get_next_sibling (c), i++)
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), title) == 0)
      return i;
  g_error ("no row titled %s", title);
}

static SextantPortfolioWindow *
open_window (void)
{
  SextantPortfolioWindow *window = sextant_portfolio_window_new (NULL, workspace);

  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);

  return window;
}

static SextantBondDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (SEXTANT_IS_BOND_DIALOG (window))
        return SEXTANT_BOND_DIALOG (window);
    }

  return NULL;
}

static SextantBondDialog *
open_dialog (SextantPortfolioWindow *window,
             const char             *action,
             GVariant               *target)
{
  SextantBondDialog *dialog;

  g_assert_null (find_dialog ());
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), action, target));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  sextant_bond_dialog_set_today (dialog, today);
  test_gui_show_and_wait (GTK_WINDOW (dialog), 460, -1);

  return dialog;
}

static void
type (SextantBondDialog *dialog,
      const char        *id,
      const char        *text)
{
  gtk_editable_set_text (GTK_EDITABLE (field (dialog, id)), text);
}

static gboolean
can_add (SextantBondDialog *dialog)
{
  return gtk_widget_is_sensitive (field (dialog, "add_button"));
}

/* The message under the fields, as the user reads it, and the dialog's own account agree. */
static void
assert_problem (SextantBondDialog *dialog,
                const char        *expected)
{
  GtkLabel *label = field (dialog, "problem_label");

  g_assert_cmpstr (sextant_bond_dialog_get_problem (dialog), ==, expected);
  g_assert_cmpstr (gtk_label_get_text (label), ==, expected);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_false (can_add (dialog));
}

/* Presses Enter in @id's field and waits for the dialog to close. */
static void
press_enter (SextantBondDialog *dialog,
             const char        *id)
{
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_emit_by_name (field (dialog, id), "entry-activated");
  TEST_GUI_WAIT_FOR_SECONDS (dialog == NULL, 5);
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Entry rows move their titles up with an animation when text is set: a screenshot waits for
 * it to end. */
static void
settle (GtkWindow *window,
        int        width,
        int        height)
{
  gboolean done = FALSE;

  g_timeout_add (600, set_flag_cb, &done);
  TEST_GUI_WAIT_FOR_SECONDS (done, 5);
  test_gui_show_and_wait (window, width, height);
}

static void
fill_bund (SextantBondDialog *dialog)
{
  type (dialog, "name_row", "DE000BUND2034");
  type (dialog, "coupon_row", "4.25");
  type (dialog, "maturity_row", "2034-05-15");
  adw_combo_row_set_selected (field (dialog, "frequency_row"), 1);   /* semi-annual */
  adw_combo_row_set_selected (field (dialog, "day_count_row"), 0);   /* act/act-icma */
  type (dialog, "face_row", "100000");
  type (dialog, "currency_row", "eur");
  /* shown as it will be stored */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (dialog, "currency_row"))), ==, "EUR");
}

static gboolean
is_quantity_spin (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_SPIN_BUTTON (widget) &&
         g_strcmp0 (g_object_get_data (G_OBJECT (widget), "holding-field"), "quantity") == 0;
}

static void
test_add_bond (void)
{
  SextantPortfolioWindow *window = open_window ();
  int rows = count_rows (window);
  SextantBondDialog *dialog = open_dialog (window, "win.add-bond", NULL);
  g_autoptr(SextantOptimizationRequest) request = NULL;
  GtkAdjustment *adjustment;
  AdwExpanderRow *row;
  GtkWidget *spin;

  /* Empty, it cannot be added, and says what is missing first. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Add Bond");
  assert_problem (dialog, "Enter the bond’s ISIN or name.");
  /* The currency proposed is the window's base currency. */
  g_assert_cmpstr (gtk_editable_get_text (field (dialog, "currency_row")), ==,
                   sextant_portfolio_window_get_base_currency (window));

  fill_bund (dialog);
  g_assert_null (sextant_bond_dialog_get_problem (dialog));
  g_assert_false (gtk_widget_get_visible (field (dialog, "problem_label")));
  g_assert_true (can_add (dialog));
  settle (GTK_WINDOW (dialog), 460, -1);
  test_gui_save_screenshot (GTK_WIDGET (dialog), "bond-dialog.png");

  press_enter (dialog, "face_row");
  g_assert_cmpint (count_rows (window), ==, rows + 1);
  row = row_titled (window, "DE000BUND2034");
  g_assert_nonnull (row);
  g_test_message ("bond row: %s", adw_expander_row_get_subtitle (row));
  g_assert_cmpstr (adw_expander_row_get_subtitle (row), ==, "4.25 % 2034-05-15, semi-annual, EUR");
  spin = test_gui_find (GTK_WIDGET (row), is_quantity_spin, NULL);
  g_assert_nonnull (spin);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 100000);

  /* The optimization is over the instruments with closes: the bond is left out of it. */
  request = sextant_portfolio_window_dup_request (window);
  g_assert_nonnull (request);
  g_assert_cmpuint (request->k, ==, rows);
  for (gsize j = 0; j < request->k; j++)
    g_assert_cmpstr (request->symbols[j], !=, "DE000BUND2034");
  g_assert_null (strstr (gtk_label_get_text (child (window, "range_label")), "DE000BUND2034"));
  g_test_message ("holdings: %s", adw_preferences_group_get_description (child (window, "holdings_group")));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (child (window, "holdings_group")),
                           "Bonds and cash are left out of this total and of the optimization; "
                           "the risk dashboard’s Rates & FX view values them."));

  settle (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "bond-holdings-top.png");

  /* The list scrolled to the bond, opened. */
  adw_expander_row_set_expanded (row, TRUE);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (row), GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  settle (GTK_WINDOW (window), 1100, 800);
  test_gui_save_screenshot (GTK_WIDGET (window), "bond-holdings-list.png");

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_invalid_input (void)
{
  SextantPortfolioWindow *window = open_window ();
  int rows = count_rows (window);
  SextantBondDialog *dialog = open_dialog (window, "win.add-bond", NULL);
  g_autofree char *first = g_strdup (adw_preferences_row_get_title (
                                       ADW_PREFERENCES_ROW (gtk_widget_get_first_child (child (window, "holdings_list")))));
  g_autofree char *duplicate = NULL;

  fill_bund (dialog);
  g_assert_true (can_add (dialog));

  type (dialog, "name_row", "   ");
  assert_problem (dialog, "Enter the bond’s ISIN or name.");
  g_assert_true (gtk_widget_has_css_class (field (dialog, "name_row"), "error"));

  /* A name an existing holding has is refused. */
  type (dialog, "name_row", first);
  duplicate = g_strdup_printf ("“%s” is already a holding: give the bond another name, or edit that one.", first);
  assert_problem (dialog, duplicate);
  type (dialog, "name_row", "DE000BUND2034");
  g_assert_false (gtk_widget_has_css_class (field (dialog, "name_row"), "error"));

  type (dialog, "coupon_row", "-0.5");
  assert_problem (dialog, "The coupon cannot be negative.");
  g_assert_true (gtk_widget_has_css_class (field (dialog, "coupon_row"), "error"));
  type (dialog, "coupon_row", "four");
  assert_problem (dialog, "The coupon is not a number: enter it in percent a year, such as 4.25.");
  /* A decimal comma is a decimal point. */
  type (dialog, "coupon_row", "4,25");
  g_assert_true (can_add (dialog));

  type (dialog, "maturity_row", "2020-01-15");
  assert_problem (dialog, "The maturity 2020-01-15 is in the past: the bond has been redeemed.");
  g_assert_true (gtk_widget_has_css_class (field (dialog, "maturity_row"), "error"));
  type (dialog, "maturity_row", "2034-02-30");
  assert_problem (dialog, "“2034-02-30” is not a date: write the maturity as YYYY-MM-DD.");
  type (dialog, "maturity_row", "2034-05-15");

  type (dialog, "face_row", "0");
  assert_problem (dialog, "The face amount held must be a positive number.");
  type (dialog, "face_row", "100,000");
  g_assert_true (can_add (dialog));
  type (dialog, "currency_row", "euro");
  assert_problem (dialog, "Enter the currency as a three-letter ISO 4217 code, such as EUR.");
  g_assert_true (gtk_widget_has_css_class (field (dialog, "currency_row"), "error"));

  /* Enter does nothing while the bond is invalid; Escape cancels and adds nothing. */
  g_signal_emit_by_name (field (dialog, "currency_row"), "entry-activated");
  test_gui_iterate (5);
  g_assert_true (find_dialog () == dialog);
  settle (GTK_WINDOW (dialog), 460, -1);
  test_gui_save_screenshot (GTK_WIDGET (dialog), "bond-dialog-invalid.png");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (test_gui_activate_shortcut (GTK_WIDGET (dialog), GDK_KEY_Escape, 0));
  TEST_GUI_WAIT_FOR_SECONDS (dialog == NULL, 5);
  g_assert_cmpint (count_rows (window), ==, rows);
  g_assert_null (row_titled (window, "DE000BUND2034"));

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static SextantPortfolioWindow *
window_with_bund (void)
{
  SextantPortfolioWindow *window = open_window ();
  SextantBondDialog *dialog = open_dialog (window, "win.add-bond", NULL);

  fill_bund (dialog);
  press_enter (dialog, "name_row");
  g_assert_nonnull (row_titled (window, "DE000BUND2034"));

  return window;
}

static void
test_edit_bond (void)
{
  SextantPortfolioWindow *window = window_with_bund ();
  int rows = count_rows (window);
  guint index = index_of (window, "DE000BUND2034");
  SextantBondDialog *dialog = open_dialog (window, "win.edit-bond", g_variant_new_uint32 (index));
  AdwExpanderRow *row;

  /* The same dialog, filled in with the bond's terms; its own name is no duplicate. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Bond");
  g_assert_cmpstr (gtk_editable_get_text (field (dialog, "name_row")), ==, "DE000BUND2034");
  g_assert_cmpstr (gtk_editable_get_text (field (dialog, "coupon_row")), ==, "4.25");
  g_assert_cmpstr (gtk_editable_get_text (field (dialog, "maturity_row")), ==, "2034-05-15");
  g_assert_cmpuint (adw_combo_row_get_selected (field (dialog, "frequency_row")), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (field (dialog, "face_row")), ==, "100000");
  g_assert_cmpstr (gtk_editable_get_text (field (dialog, "currency_row")), ==, "EUR");
  g_assert_true (can_add (dialog));

  type (dialog, "name_row", "DE000BUND2035");
  type (dialog, "coupon_row", "3.5");
  type (dialog, "maturity_row", "2035-08-15");
  adw_combo_row_set_selected (field (dialog, "frequency_row"), 0);
  adw_combo_row_set_selected (field (dialog, "day_count_row"), 1);
  type (dialog, "currency_row", "USD");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "bond.add", NULL));
  TEST_GUI_WAIT_FOR_SECONDS (find_dialog () == NULL, 5);

  /* Edited in place: no new row, the old name gone, the terms new. */
  g_assert_cmpint (count_rows (window), ==, rows);
  g_assert_null (row_titled (window, "DE000BUND2034"));
  g_assert_cmpuint (index_of (window, "DE000BUND2035"), ==, index);
  row = row_titled (window, "DE000BUND2035");
  g_assert_cmpstr (adw_expander_row_get_subtitle (row), ==, "3.50 % 2035-08-15, annual, USD");

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
test_remove_undo (void)
{
  SextantPortfolioWindow *window = window_with_bund ();
  int rows = count_rows (window);
  guint index = index_of (window, "DE000BUND2034");
  g_autofree char *subtitle = g_strdup (adw_expander_row_get_subtitle (row_titled (window, "DE000BUND2034")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-holding", "u", index));
  g_assert_cmpint (count_rows (window), ==, rows - 1);
  g_assert_null (row_titled (window, "DE000BUND2034"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-remove", NULL));
  g_assert_cmpint (count_rows (window), ==, rows);
  g_assert_cmpuint (index_of (window, "DE000BUND2034"), ==, index);
  /* Back as a bond, terms and all. */
  g_assert_cmpstr (adw_expander_row_get_subtitle (row_titled (window, "DE000BUND2034")), ==, subtitle);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-bond", "u", index));
  g_assert_nonnull (find_dialog ());
  gtk_window_destroy (GTK_WINDOW (find_dialog ()));

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

static void
assert_bund_stored (const char *name,
                    double      face)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPortfolio) stored = sextant_portfolio_choices_load (workspace, name, &error);
  const SextantHolding *h;
  int j;

  g_assert_no_error (error);
  j = sextant_portfolio_find_holding (stored, "DE000BUND2034");
  g_assert_cmpint (j, >=, 0);
  h = sextant_portfolio_get_holding (stored, j);
  g_assert_cmpint (h->kind, ==, SEXTANT_HOLDING_BOND);
  g_assert_cmpfloat_with_epsilon (h->bond.coupon, 0.0425, 1e-15);
  g_assert_cmpint (h->bond.maturity, ==, sextant_day_from_ymd (2034, 5, 15));
  g_assert_cmpint (h->bond.frequency, ==, 2);
  g_assert_cmpint (h->bond.day_count, ==, SEXTANT_DAY_COUNT_ACT_ACT_ICMA);
  g_assert_cmpfloat (h->bond.face, ==, face);
  g_assert_cmpfloat (h->quantity, ==, face);
  g_assert_cmpstr (h->currency, ==, "EUR");
  g_assert_true (isnan (h->spread));
}

static void
test_save_round_trip (void)
{
  SextantPortfolioWindow *window = window_with_bund ();
  SextantPortfolioWindow *second;
  g_autoptr(GError) error = NULL;
  AdwExpanderRow *row;
  GtkWidget *spin;

  g_assert_true (sextant_portfolio_window_save_as (window, "Bund book", &error));
  g_assert_no_error (error);
  assert_bund_stored ("Bund book", 100000);
  test_gui_destroy_and_check (GTK_WINDOW (window));

  /* Loaded in another window, the bond is a bond with its terms; changing its face amount and
   * saving again keeps the terms. */
  second = open_window ();
  g_assert_true (sextant_portfolio_window_load_portfolio (second, "Bund book", &error));
  g_assert_no_error (error);
  row = row_titled (second, "DE000BUND2034");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_expander_row_get_subtitle (row), ==, "4.25 % 2034-05-15, semi-annual, EUR");
  spin = test_gui_find (GTK_WIDGET (row), is_quantity_spin, NULL);
  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 250000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second), "win.save-portfolio", NULL));
  assert_bund_stored ("Bund book", 250000);

  test_gui_destroy_and_check (GTK_WINDOW (second));
}

/* A holdings CSV with a bond (with a spread) and cash: the rows say what they are, and Save as
 * keeps every term the file gave, the spread the dialog does not show included. */
static void
test_import_bonds_and_cash (void)
{
  SextantPortfolioWindow *window = open_window ();
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "book.csv", NULL);
  g_autoptr(SextantPortfolio) stored = NULL;
  g_autoptr(GError) error = NULL;
  const SextantHolding *bond, *cash;
  SextantBondDialog *dialog;

  g_assert_true (g_file_set_contents (path,
                                      "type,symbol,quantity,currency,coupon,maturity,frequency,day_count,spread\n"
                                      "equity,KO,100,USD,,,,,\n"
                                      "bond,ACME 5.5 2031,500000,USD,5.5,2031-06-30,2,30/360,120bp\n"
                                      "cash,,250000,EUR,,,,,\n", -1, NULL));
  g_assert_true (sextant_portfolio_window_import_holdings (window, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (window), ==, 3);
  g_assert_cmpstr (adw_expander_row_get_subtitle (row_titled (window, "ACME 5.5 2031")), ==,
                   "5.50 % 2031-06-30, semi-annual, USD");
  g_assert_nonnull (row_titled (window, "CASH:EUR"));
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (row_titled (window, "CASH:EUR")), "Cash · "));

  /* An edit of its terms keeps the spread the dialog does not show. */
  dialog = open_dialog (window, "win.edit-bond", g_variant_new_uint32 (index_of (window, "ACME 5.5 2031")));
  g_assert_cmpuint (adw_combo_row_get_selected (field (dialog, "day_count_row")), ==, SEXTANT_DAY_COUNT_30_360);
  type (dialog, "coupon_row", "5.75");
  press_enter (dialog, "coupon_row");
  g_assert_cmpstr (adw_expander_row_get_subtitle (row_titled (window, "ACME 5.5 2031")), ==,
                   "5.75 % 2031-06-30, semi-annual, USD");

  g_assert_true (sextant_portfolio_window_save_as (window, "Imported credit", &error));
  g_assert_no_error (error);
  stored = sextant_portfolio_choices_load (workspace, "Imported credit", &error);
  g_assert_no_error (error);
  bond = sextant_portfolio_get_holding (stored, sextant_portfolio_find_holding (stored, "ACME 5.5 2031"));
  g_assert_cmpint (bond->kind, ==, SEXTANT_HOLDING_BOND);
  g_assert_cmpfloat_with_epsilon (bond->bond.coupon, 0.0575, 1e-15);
  g_assert_cmpint (bond->bond.day_count, ==, SEXTANT_DAY_COUNT_30_360);
  g_assert_cmpfloat (bond->bond.face, ==, 500000);
  g_assert_cmpfloat_with_epsilon (bond->spread, 0.012, 1e-15);
  g_assert_cmpstr (bond->currency, ==, "USD");
  cash = sextant_portfolio_get_holding (stored, sextant_portfolio_find_holding (stored, "CASH:EUR"));
  g_assert_cmpint (cash->kind, ==, SEXTANT_HOLDING_CASH);
  g_assert_cmpfloat (cash->quantity, ==, 250000);
  g_assert_cmpstr (cash->currency, ==, "EUR");

  test_gui_destroy_and_check (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *database_dir = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  database_dir = sextant_test_use_own_database ();
  today = sextant_day_from_ymd (2026, 1, 1);

  workspace = sextant_test_load_demo_workspace ();

  g_test_add_func ("/sextant/gui/bond-holdings/add", test_add_bond);
  g_test_add_func ("/sextant/gui/bond-holdings/invalid-input", test_invalid_input);
  g_test_add_func ("/sextant/gui/bond-holdings/edit", test_edit_bond);
  g_test_add_func ("/sextant/gui/bond-holdings/remove-undo", test_remove_undo);
  g_test_add_func ("/sextant/gui/bond-holdings/save-round-trip", test_save_round_trip);
  g_test_add_func ("/sextant/gui/bond-holdings/import-bonds-and-cash", test_import_bonds_and_cash);

  status = g_test_run ();
  g_clear_object (&workspace);

  return status;
}
