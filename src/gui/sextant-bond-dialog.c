#define G_LOG_DOMAIN "sextant-bond-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sextant-bond-dialog.h"

/* Enters or edits a bond holding: its terms as `sextant-cli bond` takes them (coupon in percent,
 * ISO maturity, frequency, day count) and the face amount held, which is what a bond holding's
 * quantity means in the core. What is wrong is said under the fields as it is typed, and Add
 * stays off until nothing is. */

struct _SextantBondDialog
{
  AdwWindow     parent_instance;

  AdwEntryRow  *name_row;
  AdwEntryRow  *coupon_row;
  AdwEntryRow  *maturity_row;
  AdwComboRow  *frequency_row;
  AdwComboRow  *day_count_row;
  AdwEntryRow  *face_row;
  AdwEntryRow  *currency_row;
  GtkLabel     *problem_label;
  GtkButton    *add_button;

  char        **taken;          /* the holdings' symbols, the edited bond's own excepted */
  gint32        today;
  char         *problem;        /* why the bond cannot be added, or NULL */
};

G_DEFINE_FINAL_TYPE (SextantBondDialog, sextant_bond_dialog, ADW_TYPE_WINDOW)

enum { ADDED, N_SIGNALS };
static guint signals [N_SIGNALS];

static const int frequencies[] = { 1, 2, 4, 12 };

/* The combo rows list the day counts in SextantDayCount's order. */
G_STATIC_ASSERT (SEXTANT_DAY_COUNT_ACT_ACT_ICMA == 0 && SEXTANT_DAY_COUNT_30_360 == 1 &&
                 SEXTANT_DAY_COUNT_ACT_360 == 2 && SEXTANT_DAY_COUNT_ACT_365F == 3);

/* A number as typed: a decimal comma is taken for a point; with @grouping, spaces, apostrophes
 * and commas between digit groups are dropped instead (a face amount has no decimals to speak of). */
static gboolean
parse_number (const char *text,
              gboolean    grouping,
              double     *value)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  char *end = NULL;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x202F || c == 0x00A0 || (grouping && (c == '\'' || c == ',' || c == '_')))
        continue;
      g_string_append_unichar (clean, c == ',' ? '.' : c);
    }
  if (clean->len == 0)
    return FALSE;
  *value = g_ascii_strtod (clean->str, &end);

  return end != NULL && *end == '\0' && isfinite (*value);
}

static gboolean
parse_currency (const char  *text,
                char       **currency)
{
  g_autofree char *code = g_ascii_strup (text, -1);

  g_strstrip (code);
  if (strlen (code) != 3 || !g_ascii_isalpha (code[0]) || !g_ascii_isalpha (code[1]) ||
      !g_ascii_isalpha (code[2]))
    return FALSE;
  if (currency != NULL)
    *currency = g_steal_pointer (&code);

  return TRUE;
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_blank (AdwEntryRow *row)
{
  for (const char *p = text_of (row); *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static char *
check_name (SextantBondDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->name_row)));

  if (name[0] == '\0')
    return g_strdup (_("Enter the bond’s ISIN or name."));
  if (self->taken != NULL && g_strv_contains ((const char * const *) self->taken, name))
    /* Translators: a bond's ISIN or name */
    return g_strdup_printf (_("“%s” is already a holding: give the bond another name, or edit that one."),
                            name);

  return NULL;
}

static char *
check_coupon (SextantBondDialog *self)
{
  double coupon;

  if (is_blank (self->coupon_row))
    return g_strdup (_("Enter the coupon in percent a year, such as 4.25."));
  if (!parse_number (text_of (self->coupon_row), FALSE, &coupon))
    return g_strdup (_("The coupon is not a number: enter it in percent a year, such as 4.25."));
  if (coupon < 0)
    return g_strdup (_("The coupon cannot be negative."));
  if (coupon >= 100)
    return g_strdup (_("The coupon is in percent a year and must be below 100."));

  return NULL;
}

static char *
check_maturity (SextantBondDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (text_of (self->maturity_row)));
  gint32 maturity;

  if (text[0] == '\0')
    return g_strdup (_("Enter the maturity date, such as 2034-05-15."));
  if (!sextant_day_parse_iso (text, &maturity))
    /* Translators: what was typed as the maturity */
    return g_strdup_printf (_("“%s” is not a date: write the maturity as YYYY-MM-DD."), text);
  if (maturity < self->today)
    /* Translators: a date */
    return g_strdup_printf (_("The maturity %s is in the past: the bond has been redeemed."), text);
  if (maturity == self->today)
    return g_strdup (_("The bond matures today: nothing is left to hold."));

  return NULL;
}

static char *
check_face (SextantBondDialog *self)
{
  double face;

  if (is_blank (self->face_row))
    return g_strdup (_("Enter the face amount held, such as 100000."));
  if (!parse_number (text_of (self->face_row), TRUE, &face) || face <= 0)
    return g_strdup (_("The face amount held must be a positive number."));

  return NULL;
}

static char *
check_currency (SextantBondDialog *self)
{
  if (!parse_currency (text_of (self->currency_row), NULL))
    return g_strdup (_("Enter the currency as a three-letter ISO 4217 code, such as EUR."));

  return NULL;
}

/* Marked in red, and for assistive technologies as invalid, with the message as its error. */
static void
mark_row (SextantBondDialog *self,
          AdwEntryRow       *row,
          gboolean           wrong)
{
  if (wrong)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE,
                                      self->problem_label, NULL, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE);
    }
}

/* The first problem, top to bottom, is the one said; its row is marked. */
static void
validate (SextantBondDialog *self)
{
  struct { AdwEntryRow *row; char *(*check) (SextantBondDialog *); } fields[] = {
    { self->name_row, check_name },
    { self->coupon_row, check_coupon },
    { self->maturity_row, check_maturity },
    { self->face_row, check_face },
    { self->currency_row, check_currency },
  };

  g_clear_pointer (&self->problem, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gboolean wrong = FALSE;

      if (self->problem == NULL)
        {
          self->problem = fields[i].check (self);
          wrong = self->problem != NULL;
        }
      mark_row (self, fields[i].row, wrong);
    }
  if (self->problem == NULL)
    {
      g_autofree char *name = NULL;
      g_autoptr(GError) error = NULL;
      SextantBond bond;

      /* The core's own check has the last word (it knows what its pricer can take). */
      if (sextant_bond_dialog_get_holding (self, &name, &bond, NULL) &&
          !sextant_bond_validate (&bond, self->today, &error))
        self->problem = g_strdup (error->message);
    }

  gtk_label_set_text (self->problem_label, self->problem != NULL ? self->problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), self->problem != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bond.add", self->problem == NULL);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SextantBondDialog *self = SEXTANT_BOND_DIALOG (widget);

  validate (self);
  if (self->problem != NULL)
    return;
  g_signal_emit (self, signals [ADDED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

/* Enter in any field adds the bond, when it can be added. */
static void
entry_activated_cb (SextantBondDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "bond.add", NULL);
}

static void
sextant_bond_dialog_finalize (GObject *object)
{
  SextantBondDialog *self = SEXTANT_BOND_DIALOG (object);

  g_clear_pointer (&self->taken, g_strfreev);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (sextant_bond_dialog_parent_class)->finalize (object);
}

static void
sextant_bond_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SEXTANT_TYPE_BOND_DIALOG);

  G_OBJECT_CLASS (sextant_bond_dialog_parent_class)->dispose (object);
}

static void
sextant_bond_dialog_class_init (SextantBondDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_bond_dialog_dispose;
  object_class->finalize = sextant_bond_dialog_finalize;

  /**
   * SextantBondDialog::added:
   *
   * The bond was accepted (Add or Enter); read it with sextant_bond_dialog_get_holding().
   * The dialog closes right after.
   */
  signals [ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "sextant-bond-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantBondDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, SextantBondDialog, coupon_row);
  gtk_widget_class_bind_template_child (widget_class, SextantBondDialog, maturity_row);
  gtk_widget_class_bind_template_child (widget_class, SextantBondDialog, frequency_row);
  gtk_widget_class_bind_template_child (widget_class, SextantBondDialog, day_count_row);
  gtk_widget_class_bind_template_child (widget_class, SextantBondDialog, face_row);
  gtk_widget_class_bind_template_child (widget_class, SextantBondDialog, currency_row);
  gtk_widget_class_bind_template_child (widget_class, SextantBondDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, SextantBondDialog, add_button);

  gtk_widget_class_install_action (widget_class, "bond.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* A currency code is upper case: typed "eur" shows as "EUR" at once, as it will be stored. */
static void
currency_insert_text_cb (GtkEditable *editable,
                         const char  *text,
                         int          length,
                         int         *position,
                         gpointer     user_data)
{
  gsize n_bytes = length < 0 ? strlen (text) : (gsize) length;
  g_autofree char *upper = g_utf8_strup (text, n_bytes);

  if (strlen (upper) == n_bytes && memcmp (upper, text, n_bytes) == 0)
    return;
  g_signal_handlers_block_by_func (editable, currency_insert_text_cb, user_data);
  gtk_editable_insert_text (editable, upper, -1, position);
  g_signal_handlers_unblock_by_func (editable, currency_insert_text_cb, user_data);
  g_signal_stop_emission_by_name (editable, "insert-text");
}

static void
sextant_bond_dialog_init (SextantBondDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  AdwEntryRow *entries[5];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->today = sextant_day_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                                      g_date_time_get_day_of_month (now));
  entries[0] = self->name_row;
  entries[1] = self->coupon_row;
  entries[2] = self->maturity_row;
  entries[3] = self->face_row;
  entries[4] = self->currency_row;
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_signal_connect_object (entries[i], "changed", G_CALLBACK (validate), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (entries[i], "entry-activated", G_CALLBACK (entry_activated_cb), self,
                               G_CONNECT_SWAPPED);
    }
  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->currency_row)), "insert-text",
                    G_CALLBACK (currency_insert_text_cb), NULL);
  /* Enter where no field takes it (a combo row) adds too. */
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->add_button));
  adw_combo_row_set_selected (self->frequency_row, 0);
  adw_combo_row_set_selected (self->day_count_row, SEXTANT_DAY_COUNT_ACT_ACT_ICMA);
  validate (self);
}

/**
 * sextant_bond_dialog_new:
 * @parent: the window the dialog is modal to
 * @taken: (nullable): the symbols already held, which the bond cannot take
 * @currency: (nullable): the currency proposed (the portfolio's base currency)
 *
 * Returns: (transfer none): a dialog to add a bond; present it
 */
SextantBondDialog *
sextant_bond_dialog_new (GtkWindow          *parent,
                         const char * const *taken,
                         const char         *currency)
{
  SextantBondDialog *self = g_object_new (SEXTANT_TYPE_BOND_DIALOG,
                                          "transient-for", parent,
                                          NULL);

  self->taken = g_strdupv ((char **) taken);
  if (currency != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->currency_row), currency);
  validate (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));

  return self;
}

/**
 * sextant_bond_dialog_set_holding:
 * @self: a bond dialog
 * @name: the bond's ISIN or name
 * @bond: its terms; @bond->face is the face amount held
 * @currency: the currency it pays in
 *
 * Turns the dialog into one that edits this bond: its fields filled in, Save for Add.
 */
void
sextant_bond_dialog_set_holding (SextantBondDialog *self,
                                 const char        *name,
                                 const SextantBond *bond,
                                 const char        *currency)
{
  char coupon[G_ASCII_DTOSTR_BUF_SIZE];
  char face[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *maturity = NULL;

  g_return_if_fail (SEXTANT_IS_BOND_DIALOG (self));
  g_return_if_fail (name != NULL && bond != NULL);

  /* Its own name is not taken by another holding. */
  if (self->taken != NULL)
    {
      g_autoptr(GStrvBuilder) others = g_strv_builder_new ();

      for (guint i = 0; self->taken[i] != NULL; i++)
        if (!g_str_equal (self->taken[i], name))
          g_strv_builder_add (others, self->taken[i]);
      g_strfreev (self->taken);
      self->taken = g_strv_builder_end (others);
    }
  maturity = sextant_day_format_iso (bond->maturity);
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Bond"));
  gtk_button_set_label (self->add_button, _("_Save"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_editable_set_text (GTK_EDITABLE (self->coupon_row),
                         g_ascii_formatd (coupon, sizeof coupon, "%.10g", 100 * bond->coupon));
  gtk_editable_set_text (GTK_EDITABLE (self->maturity_row), maturity);
  for (guint i = 0; i < G_N_ELEMENTS (frequencies); i++)
    if (frequencies[i] == bond->frequency)
      adw_combo_row_set_selected (self->frequency_row, i);
  adw_combo_row_set_selected (self->day_count_row, bond->day_count);
  gtk_editable_set_text (GTK_EDITABLE (self->face_row),
                         g_ascii_formatd (face, sizeof face, "%.15g", bond->face));
  gtk_editable_set_text (GTK_EDITABLE (self->currency_row), currency != NULL ? currency : "");
  validate (self);
}

/**
 * sextant_bond_dialog_set_today:
 * @self: a bond dialog
 * @today: the day before which a maturity is in the past
 *
 * For tests: the dialog otherwise takes the local date.
 */
void
sextant_bond_dialog_set_today (SextantBondDialog *self,
                               gint32             today)
{
  g_return_if_fail (SEXTANT_IS_BOND_DIALOG (self));

  self->today = today;
  validate (self);
}

/**
 * sextant_bond_dialog_get_problem:
 * @self: a bond dialog
 *
 * Returns: (nullable): why the bond cannot be added yet, as the dialog says it, or %NULL
 */
const char *
sextant_bond_dialog_get_problem (SextantBondDialog *self)
{
  g_return_val_if_fail (SEXTANT_IS_BOND_DIALOG (self), NULL);

  return self->problem;
}

/**
 * sextant_bond_dialog_get_holding:
 * @self: a bond dialog
 * @name: (out) (optional): the bond's ISIN or name
 * @bond: (out): its terms, @bond->face the face amount held
 * @currency: (out) (optional): its currency, upper case
 *
 * Returns: %TRUE when every field parses (the terms may still fail the core's check)
 */
gboolean
sextant_bond_dialog_get_holding (SextantBondDialog  *self,
                                 char              **name,
                                 SextantBond        *bond,
                                 char              **currency)
{
  g_autofree char *maturity = NULL;
  double coupon, face;
  guint frequency = adw_combo_row_get_selected (self->frequency_row);
  guint day_count = adw_combo_row_get_selected (self->day_count_row);

  g_return_val_if_fail (SEXTANT_IS_BOND_DIALOG (self), FALSE);
  g_return_val_if_fail (bond != NULL, FALSE);

  maturity = g_strstrip (g_strdup (text_of (self->maturity_row)));
  if (!parse_number (text_of (self->coupon_row), FALSE, &coupon) ||
      !parse_number (text_of (self->face_row), TRUE, &face) ||
      !sextant_day_parse_iso (maturity, &bond->maturity) ||
      frequency >= G_N_ELEMENTS (frequencies) || day_count > SEXTANT_DAY_COUNT_ACT_365F ||
      !parse_currency (text_of (self->currency_row), currency))
    return FALSE;
  bond->coupon = coupon / 100.0;
  bond->frequency = frequencies[frequency];
  bond->day_count = day_count;
  bond->face = face;
  if (name != NULL)
    *name = g_strstrip (g_strdup (text_of (self->name_row)));

  return TRUE;
}
