#define G_LOG_DOMAIN "sextant-cli-bond"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

#define BOND_CONVENTIONS \
  "Conventions (QuantLib's FixedRateBond, so any figure can be checked there): dates ISO; coupon\n" \
  "and yield in percent; prices clean, in percent of face. The schedule runs backward from\n" \
  "maturity, unadjusted, no calendar, on months' last days exactly when the maturity is one;\n" \
  "settlement is the given date (no lag, no ex-coupon). A coupon pays 100 × rate × its period's\n" \
  "year fraction in the day count (30/360 is the ISDA Bond Basis); on a coupon date nothing has\n" \
  "accrued and that coupon is not in the price. The yield is compounded --frequency times a\n" \
  "year in the day count. Durations (years) and convexity are on the dirty price; Macaulay =\n" \
  "(1 + y/f) × modified. dv01 is the second-order basis-point value for --face (QuantLib's\n" \
  "BondFunctions.basisPointValue, positive for a long bond), in the money of the face.\n" \
  "Exit status: 0 success, 2 bad usage, 3 a bond or price that cannot be (settlement not\n" \
  "before maturity, no yield for that price).\n"

static gboolean
parse_number (const char  *text,
              const char  *option,
              double      *value,
              GError     **error)
{
  char *end = NULL;

  if (text != NULL)
    *value = g_ascii_strtod (text, &end);
  if (text == NULL || end == text || *end != '\0' || !isfinite (*value))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s must be a number, not “%s”",
                   option, text != NULL ? text : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_date (const char  *text,
            const char  *option,
            gint32      *day,
            GError     **error)
{
  if (text != NULL && sextant_day_parse_iso (text, day))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s must be a date in YYYY-MM-DD form, not “%s”", option, text != NULL ? text : "");
  return FALSE;
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
print_analytics (const SextantBondAnalytics *a,
                 SextantCliFormat            format)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (format == SEXTANT_CLI_FORMAT_TEXT)
    {
      printf ("clean price        %.10f\n", a->clean_price);
      printf ("dirty price        %.10f\n", a->dirty_price);
      printf ("accrued            %.10f\n", a->accrued);
      printf ("yield              %.10f %%\n", a->yield * 100);
      printf ("Macaulay duration  %.10f\n", a->macaulay_duration);
      printf ("modified duration  %.10f\n", a->modified_duration);
      printf ("convexity          %.10f\n", a->convexity);
      printf ("dv01               %.10f\n", a->dv01);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_number (builder, "clean_price", a->clean_price);
  add_number (builder, "dirty_price", a->dirty_price);
  add_number (builder, "accrued", a->accrued);
  add_number (builder, "yield", a->yield * 100);
  add_number (builder, "macaulay_duration", a->macaulay_duration);
  add_number (builder, "modified_duration", a->modified_duration);
  add_number (builder, "convexity", a->convexity);
  add_number (builder, "dv01", a->dv01);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

typedef struct
{
  char *coupon, *maturity, *settlement, *yield, *price, *frequency, *day_count, *face, *format;
} BondOptions;

static void
bond_options_clear (BondOptions *o)
{
  g_free (o->coupon);
  g_free (o->maturity);
  g_free (o->settlement);
  g_free (o->yield);
  g_free (o->price);
  g_free (o->frequency);
  g_free (o->day_count);
  g_free (o->face);
  g_free (o->format);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BondOptions, bond_options_clear)

/* The bond and what is given; a usage error names the option. */
static gboolean
read_bond (const BondOptions  *o,
           SextantBond        *bond,
           gint32             *settlement,
           double             *given,
           GError            **error)
{
  double coupon = 0, frequency = 2;

  bond->face = 100;
  bond->day_count = SEXTANT_DAY_COUNT_ACT_ACT_ICMA;
  if ((o->yield == NULL) == (o->price == NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "give exactly one of --yield and --price");
      return FALSE;
    }
  if (!parse_number (o->coupon, "--coupon", &coupon, error)
      || !parse_date (o->maturity, "--maturity", &bond->maturity, error)
      || !parse_date (o->settlement, "--settlement", settlement, error)
      || (o->yield != NULL && !parse_number (o->yield, "--yield", given, error))
      || (o->price != NULL && !parse_number (o->price, "--price", given, error))
      || (o->frequency != NULL && !parse_number (o->frequency, "--frequency", &frequency, error))
      || (o->face != NULL && !parse_number (o->face, "--face", &bond->face, error)))
    return FALSE;
  if (frequency != 1 && frequency != 2 && frequency != 4 && frequency != 12)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--frequency must be 1, 2, 4 or 12, not %s", o->frequency);
      return FALSE;
    }
  if (o->day_count != NULL && !sextant_day_count_from_name (o->day_count, &bond->day_count))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--day-count must be act/act-icma, 30/360, act/360 or act/365f, not “%s”",
                   o->day_count);
      return FALSE;
    }
  if (!(bond->face > 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--face must be positive");
      return FALSE;
    }
  bond->coupon = coupon / 100.0;
  bond->frequency = (int) frequency;
  return TRUE;
}

/**
 * sextant_cli_bond_main:
 *
 * `sextant-cli bond price --coupon PCT --maturity DATE --settlement DATE (--yield PCT | --price
 * CLEAN) [--frequency 1|2|4|12] [--day-count …] [--face 100] [--format text|json]`.
 */
int
sextant_cli_bond_main (int    argc,
                       char **argv)
{
  g_auto(BondOptions) o = { NULL };
  const GOptionEntry entries[] = {
    { "coupon", 0, 0, G_OPTION_ARG_STRING, &o.coupon, "Annual coupon rate in percent", "PCT" },
    { "maturity", 0, 0, G_OPTION_ARG_STRING, &o.maturity, "Maturity date", "YYYY-MM-DD" },
    { "settlement", 0, 0, G_OPTION_ARG_STRING, &o.settlement, "Settlement date", "YYYY-MM-DD" },
    { "yield", 0, 0, G_OPTION_ARG_STRING, &o.yield, "Yield to maturity in percent", "PCT" },
    { "price", 0, 0, G_OPTION_ARG_STRING, &o.price, "Clean price in percent of face", "CLEAN" },
    { "frequency", 0, 0, G_OPTION_ARG_STRING, &o.frequency, "Coupons a year (default 2)",
      "1|2|4|12" },
    { "day-count", 0, 0, G_OPTION_ARG_STRING, &o.day_count, "Day count (default act/act-icma)",
      "act/act-icma|30/360|act/360|act/365f" },
    { "face", 0, 0, G_OPTION_ARG_STRING, &o.face, "Face amount (default 100)", "AMOUNT" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, "Output format (default text)", "text|json" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("price");
  g_autoptr(GError) error = NULL;
  SextantCliFormat format = SEXTANT_CLI_FORMAT_TEXT;
  SextantBondAnalytics analytics;
  SextantBond bond = { 0 };
  gint32 settlement = 0;
  double given = 0;
  int exit_code;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Price, yield, accrued interest, durations, convexity "
                                         "and DV01 of a fixed-rate bond.");
  g_option_context_set_description (context, BOND_CONVENTIONS);
  if (!sextant_cli_parse_options (context, &argc, &argv, "bond", &exit_code))
    return exit_code;
  if (argc != 2 || g_strcmp0 (argv[1], "price") != 0)
    return sextant_cli_usage_error (context, "bond", "expected the action “price”");
  if (!sextant_cli_parse_format (o.format, (1 << SEXTANT_CLI_FORMAT_TEXT)
                                 | (1 << SEXTANT_CLI_FORMAT_JSON), &format, &error)
      || !read_bond (&o, &bond, &settlement, &given, &error))
    return sextant_cli_usage_error (context, "bond", error->message);

  if (o.yield != NULL)
    ok = sextant_bond_from_yield (&bond, settlement, given / 100.0, &analytics, &error);
  else
    ok = sextant_bond_from_clean_price (&bond, settlement, given, &analytics, &error);
  if (!ok)
    return sextant_cli_fail (-1, "bond", error);
  print_analytics (&analytics, format);
  return SEXTANT_CLI_EXIT_OK;
}
