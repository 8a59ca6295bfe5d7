#define G_LOG_DOMAIN "sextant-portfolio-window-bonds"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sextant-bond-dialog.h"
#include "sextant-portfolio-window-private.h"

/* Bonds as holdings (issue 17): Add Bond… and a bond row's Edit open the bond dialog; what it
 * accepts becomes, or replaces, a bond holding with its terms, which Save keeps. */

/* The coupon with two decimals at least and no trailing zeros beyond: 4.25, 4.50, 0.125. */
static char *
format_coupon (double coupon)
{
  char *text = g_strdup_printf ("%.4f", 100 * coupon);
  char *end = text + strlen (text) - 1;
  char *point = end;

  /* The decimal separator is the locale's: the last character that is not a digit. */
  while (point > text && g_ascii_isdigit (*point))
    point--;
  while (end - point > 2 && *end == '0')
    *end-- = '\0';

  return text;
}

static const char *
frequency_name (int frequency)
{
  switch (frequency)
    {
    case 1:
      return C_("coupon frequency", "annual");
    case 2:
      return C_("coupon frequency", "semi-annual");
    case 4:
      return C_("coupon frequency", "quarterly");
    case 12:
      return C_("coupon frequency", "monthly");
    default:
      return "?";
    }
}

/**
 * _sextant_portfolio_window_dup_bond_terms:
 * @edit: a bond holding
 *
 * Returns: (transfer full): its terms as a row shows them: "4.25 % 2034-05-15, semi-annual, EUR"
 */
char *
_sextant_portfolio_window_dup_bond_terms (const SextantHoldingEdit *edit)
{
  g_autofree char *coupon = format_coupon (edit->bond.coupon);
  g_autofree char *maturity = sextant_day_format_iso (edit->bond.maturity);

  /* Translators: a bond's coupon in percent, maturity date, coupon frequency ("semi-annual")
   * and currency */
  return g_strdup_printf (_("%s %% %s, %s, %s"), coupon, maturity, frequency_name (edit->bond.frequency),
                          edit->currency != NULL ? edit->currency : "");
}

static void
bond_added_cb (SextantBondDialog      *dialog,
               SextantPortfolioWindow *self)
{
  const char *replaced = g_object_get_data (G_OBJECT (dialog), "replaced");
  g_autofree char *name = NULL;
  g_autofree char *currency = NULL;
  SextantBond bond;

  if (!sextant_bond_dialog_get_holding (dialog, &name, &bond, &currency))
    return;
  _sextant_portfolio_window_put_bond (self, replaced, name, &bond, currency);
}

static SextantBondDialog *
open_dialog (SextantPortfolioWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) taken = NULL;
  SextantBondDialog *dialog;

  for (guint i = 0; i < self->holdings->len; i++)
    g_strv_builder_add (builder, g_array_index (self->holdings, SextantHoldingEdit, i).symbol);
  taken = g_strv_builder_end (builder);
  dialog = sextant_bond_dialog_new (GTK_WINDOW (self), (const char * const *) taken, self->base_currency);
  g_signal_connect_object (dialog, "added", G_CALLBACK (bond_added_cb), self, 0);

  return dialog;
}

static void
add_bond_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_window_present (GTK_WINDOW (open_dialog (SEXTANT_PORTFOLIO_WINDOW (widget))));
}

static void
edit_bond_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  guint index = g_variant_get_uint32 (parameter);
  const SextantHoldingEdit *edit;
  SextantBondDialog *dialog;
  SextantBond bond;

  if (index >= self->holdings->len)
    return;
  edit = &g_array_index (self->holdings, SextantHoldingEdit, index);
  if (edit->kind != SEXTANT_HOLDING_BOND)
    return;
  bond = edit->bond;
  bond.face = edit->quantity;
  dialog = open_dialog (self);
  g_object_set_data_full (G_OBJECT (dialog), "replaced", g_strdup (edit->symbol), g_free);
  sextant_bond_dialog_set_holding (dialog, edit->symbol, &bond, edit->currency);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_sextant_portfolio_window_class_init_bonds (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-bond", NULL, add_bond_action);
  gtk_widget_class_install_action (widget_class, "win.edit-bond", "u", edit_bond_action);
}
