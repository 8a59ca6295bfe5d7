#define G_LOG_DOMAIN "sextant-portfolio"

#include "config.h"

#include <math.h>

#include "base/sextant-glib-compat.h"
#include "market/sextant-portfolio.h"

struct _SextantPortfolio
{
  GObject  parent_instance;
  char    *name;
  char    *benchmark;
  char    *base_currency;
  GArray  *holdings;
};

enum { PROP_0, PROP_NAME, PROP_BENCHMARK, PROP_BASE_CURRENCY, PROP_N_HOLDINGS, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantPortfolio, sextant_portfolio, G_TYPE_OBJECT)

static void
holding_clear (gpointer data)
{
  SextantHolding *holding = data;

  g_clear_pointer (&holding->symbol, g_free);
  g_clear_pointer (&holding->currency, g_free);
}

static void
sextant_portfolio_finalize (GObject *object)
{
  SextantPortfolio *self = (SextantPortfolio *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->benchmark, g_free);
  g_clear_pointer (&self->base_currency, g_free);
  g_clear_pointer (&self->holdings, g_array_unref);

  G_OBJECT_CLASS (sextant_portfolio_parent_class)->finalize (object);
}

static void
sextant_portfolio_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SextantPortfolio *self = SEXTANT_PORTFOLIO (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_BENCHMARK:
      g_value_set_string (value, self->benchmark);
      break;
    case PROP_BASE_CURRENCY:
      g_value_set_string (value, self->base_currency);
      break;
    case PROP_N_HOLDINGS:
      g_value_set_uint (value, self->holdings->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_portfolio_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SextantPortfolio *self = SEXTANT_PORTFOLIO (object);

  switch (prop_id)
    {
    case PROP_NAME:
      sextant_portfolio_set_name (self, g_value_get_string (value));
      break;
    case PROP_BENCHMARK:
      sextant_portfolio_set_benchmark (self, g_value_get_string (value));
      break;
    case PROP_BASE_CURRENCY:
      sextant_portfolio_set_base_currency (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_portfolio_class_init (SextantPortfolioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sextant_portfolio_finalize;
  object_class->get_property = sextant_portfolio_get_property;
  object_class->set_property = sextant_portfolio_set_property;

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_BENCHMARK] =
    g_param_spec_string ("benchmark", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_BASE_CURRENCY] =
    g_param_spec_string ("base-currency", NULL, NULL, "USD",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_N_HOLDINGS] =
    g_param_spec_uint ("n-holdings", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sextant_portfolio_init (SextantPortfolio *self)
{
  self->base_currency = g_strdup ("USD");
  self->holdings = g_array_new (FALSE, TRUE, sizeof (SextantHolding));
  g_array_set_clear_func (self->holdings, holding_clear);
}

SextantPortfolio *
sextant_portfolio_new (const char *name)
{
  return g_object_new (SEXTANT_TYPE_PORTFOLIO, "name", name, NULL);
}

const char *
sextant_portfolio_get_name (SextantPortfolio *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (self), NULL);

  return self->name;
}

void
sextant_portfolio_set_name (SextantPortfolio *self,
                            const char       *name)
{
  g_return_if_fail (SEXTANT_IS_PORTFOLIO (self));

  if (sextant_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);
}

const char *
sextant_portfolio_get_benchmark (SextantPortfolio *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (self), NULL);

  return self->benchmark;
}

void
sextant_portfolio_set_benchmark (SextantPortfolio *self,
                                 const char       *benchmark)
{
  g_return_if_fail (SEXTANT_IS_PORTFOLIO (self));

  if (sextant_set_str (&self->benchmark, benchmark))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BENCHMARK]);
}

/**
 * sextant_portfolio_get_base_currency:
 * @self: a portfolio
 *
 * Returns: the ISO 4217 code the portfolio is valued in, USD unless set
 */
const char *
sextant_portfolio_get_base_currency (SextantPortfolio *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (self), NULL);

  return self->base_currency;
}

void
sextant_portfolio_set_base_currency (SextantPortfolio *self,
                                     const char       *currency)
{
  g_return_if_fail (SEXTANT_IS_PORTFOLIO (self));

  if (sextant_set_str (&self->base_currency, currency != NULL ? currency : "USD"))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BASE_CURRENCY]);
}

guint
sextant_portfolio_get_n_holdings (SextantPortfolio *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (self), 0);

  return self->holdings->len;
}

const SextantHolding *
sextant_portfolio_get_holding (SextantPortfolio *self,
                               guint             index)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (self), NULL);
  g_return_val_if_fail (index < self->holdings->len, NULL);

  return &g_array_index (self->holdings, SextantHolding, index);
}

/**
 * sextant_portfolio_add_holding:
 * @self: a portfolio
 * @symbol: the instrument
 * @quantity: units, or NaN
 * @weight: fraction, or NaN
 * @currency: (nullable): ISO code, USD when %NULL
 *
 * Adds a holding, or replaces the one with the same symbol. Bounds default to long-only, 0..1.
 */
void
sextant_portfolio_add_holding (SextantPortfolio *self,
                               const char       *symbol,
                               double            quantity,
                               double            weight,
                               const char       *currency)
{
  SextantHolding holding = { 0 };

  g_return_if_fail (SEXTANT_IS_PORTFOLIO (self));
  g_return_if_fail (symbol != NULL);

  sextant_portfolio_remove_holding (self, symbol);

  holding.symbol = g_strdup (symbol);
  holding.quantity = quantity;
  holding.weight = weight;
  holding.currency = g_strdup (currency != NULL ? currency : "USD");
  holding.min_weight = 0.0;
  holding.max_weight = 1.0;
  holding.cost_basis = NAN;
  holding.kind = SEXTANT_HOLDING_EQUITY;
  holding.spread = NAN;
  g_array_append_val (self->holdings, holding);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_HOLDINGS]);
}

static const char *kind_names[] = { "equity", "bond", "cash" };

/**
 * sextant_holding_kind_name:
 * @kind: a kind of holding
 *
 * Returns: its name as stored and as CSV files and the CLI spell it: `equity`, `bond`, `cash`
 */
const char *
sextant_holding_kind_name (SextantHoldingKind kind)
{
  g_return_val_if_fail (kind <= SEXTANT_HOLDING_CASH, NULL);

  return kind_names[kind];
}

/**
 * sextant_holding_kind_from_name:
 * @name: `equity` (or `stock`, `share`), `bond` or `cash`, in any case
 * @kind: (out): the kind
 *
 * Returns: %TRUE when @name is one
 */
gboolean
sextant_holding_kind_from_name (const char         *name,
                                SextantHoldingKind *kind)
{
  static const struct { const char *name; SextantHoldingKind kind; } names[] = {
    { "equity", SEXTANT_HOLDING_EQUITY }, { "stock", SEXTANT_HOLDING_EQUITY },
    { "share", SEXTANT_HOLDING_EQUITY }, { "bond", SEXTANT_HOLDING_BOND },
    { "cash", SEXTANT_HOLDING_CASH },
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      {
        *kind = names[i].kind;
        return TRUE;
      }

  return FALSE;
}

/**
 * sextant_holding_cash_symbol:
 * @currency: an ISO 4217 code
 *
 * Returns: (transfer full): the symbol a cash holding is listed under, `CASH:USD`
 */
char *
sextant_holding_cash_symbol (const char *currency)
{
  g_autofree char *upper = g_ascii_strup (currency, -1);

  return g_strconcat ("CASH:", upper, NULL);
}

/**
 * sextant_portfolio_add_bond:
 * @self: a portfolio
 * @name: the bond's ISIN or name, its symbol in the portfolio
 * @bond: its terms; @bond->face is the face amount held
 * @spread: its spread over the curve it is discounted on (a fraction, continuously compounded),
 *   or NaN for a government bond
 * @currency: the currency it pays in
 *
 * Adds the bond, or replaces a holding of the same symbol. Its quantity is the face amount.
 */
void
sextant_portfolio_add_bond (SextantPortfolio  *self,
                            const char        *name,
                            const SextantBond *bond,
                            double             spread,
                            const char        *currency)
{
  SextantHolding *holding;

  g_return_if_fail (SEXTANT_IS_PORTFOLIO (self));
  g_return_if_fail (bond != NULL);

  sextant_portfolio_add_holding (self, name, bond->face, NAN, currency);
  holding = &g_array_index (self->holdings, SextantHolding, self->holdings->len - 1);
  holding->kind = SEXTANT_HOLDING_BOND;
  holding->bond = *bond;
  holding->spread = spread;
}

/**
 * sextant_portfolio_add_cash:
 * @self: a portfolio
 * @currency: an ISO 4217 code
 * @amount: the amount held
 *
 * Adds cash under the symbol sextant_holding_cash_symbol() gives, or replaces it.
 */
void
sextant_portfolio_add_cash (SextantPortfolio *self,
                            const char       *currency,
                            double            amount)
{
  g_autofree char *symbol = NULL;
  g_autofree char *upper = NULL;

  g_return_if_fail (SEXTANT_IS_PORTFOLIO (self));
  g_return_if_fail (currency != NULL);

  symbol = sextant_holding_cash_symbol (currency);
  upper = g_ascii_strup (currency, -1);
  sextant_portfolio_add_holding (self, symbol, amount, NAN, upper);
  g_array_index (self->holdings, SextantHolding, self->holdings->len - 1).kind = SEXTANT_HOLDING_CASH;
}

/**
 * sextant_portfolio_copy_holding:
 * @self: a portfolio
 * @holding: a holding of another portfolio
 *
 * Adds a copy of @holding, its kind, terms, bounds and cost basis, or replaces a holding of the
 * same symbol.
 */
void
sextant_portfolio_copy_holding (SextantPortfolio     *self,
                                const SextantHolding *holding)
{
  SextantHolding *copy;

  g_return_if_fail (SEXTANT_IS_PORTFOLIO (self));
  g_return_if_fail (holding != NULL);

  sextant_portfolio_add_holding (self, holding->symbol, holding->quantity, holding->weight,
                                 holding->currency);
  copy = &g_array_index (self->holdings, SextantHolding, self->holdings->len - 1);
  copy->min_weight = holding->min_weight;
  copy->max_weight = holding->max_weight;
  copy->cost_basis = holding->cost_basis;
  copy->kind = holding->kind;
  copy->bond = holding->bond;
  copy->spread = holding->spread;
}

/**
 * sextant_portfolio_take_terms:
 * @self: a portfolio whose holdings were given as symbols and amounts (an edited copy)
 * @source: the portfolio they came from
 *
 * Gives each holding of @self that is a bond or cash in @source that kind and its terms, so
 * that a window editing symbols and amounts alone saves them as they were (a bond's face
 * amount is its quantity).
 */
void
sextant_portfolio_take_terms (SextantPortfolio *self,
                              SextantPortfolio *source)
{
  g_return_if_fail (SEXTANT_IS_PORTFOLIO (self));
  g_return_if_fail (SEXTANT_IS_PORTFOLIO (source));

  for (guint i = 0; i < self->holdings->len; i++)
    {
      SextantHolding *h = &g_array_index (self->holdings, SextantHolding, i);
      int j = sextant_portfolio_find_holding (source, h->symbol);
      const SextantHolding *original;

      if (j < 0)
        continue;
      original = &g_array_index (source->holdings, SextantHolding, j);
      if (original->kind == SEXTANT_HOLDING_EQUITY)
        continue;
      h->kind = original->kind;
      h->bond = original->bond;
      h->bond.face = h->quantity;
      h->spread = original->spread;
      g_free (h->currency);
      h->currency = g_strdup (original->currency);
    }
}

/**
 * sextant_portfolio_has_kind:
 * @self: a portfolio
 * @kind: a kind of holding
 *
 * Returns: whether any holding is of @kind
 */
gboolean
sextant_portfolio_has_kind (SextantPortfolio   *self,
                            SextantHoldingKind  kind)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (self), FALSE);

  for (guint i = 0; i < self->holdings->len; i++)
    if (g_array_index (self->holdings, SextantHolding, i).kind == kind)
      return TRUE;

  return FALSE;
}

void
sextant_portfolio_set_bounds (SextantPortfolio *self,
                              guint             index,
                              double            min_weight,
                              double            max_weight)
{
  SextantHolding *holding;

  g_return_if_fail (SEXTANT_IS_PORTFOLIO (self));
  g_return_if_fail (index < self->holdings->len);

  holding = &g_array_index (self->holdings, SextantHolding, index);
  holding->min_weight = min_weight;
  holding->max_weight = max_weight;
}

void
sextant_portfolio_set_cost_basis (SextantPortfolio *self,
                                  guint             index,
                                  double            cost_basis)
{
  g_return_if_fail (SEXTANT_IS_PORTFOLIO (self));
  g_return_if_fail (index < self->holdings->len);

  g_array_index (self->holdings, SextantHolding, index).cost_basis = cost_basis;
}

/**
 * sextant_portfolio_find_holding:
 * @self: a portfolio
 * @symbol: the instrument, in any case
 *
 * Returns: the holding's index, or -1 when the portfolio does not hold @symbol
 */
int
sextant_portfolio_find_holding (SextantPortfolio *self,
                                const char       *symbol)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (self), -1);
  g_return_val_if_fail (symbol != NULL, -1);

  for (guint i = 0; i < self->holdings->len; i++)
    if (g_ascii_strcasecmp (g_array_index (self->holdings, SextantHolding, i).symbol, symbol) == 0)
      return i;

  return -1;
}

gboolean
sextant_portfolio_remove_holding (SextantPortfolio *self,
                                  const char       *symbol)
{
  int index;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (self), FALSE);

  if ((index = sextant_portfolio_find_holding (self, symbol)) < 0)
    return FALSE;
  g_array_remove_index (self->holdings, index);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_HOLDINGS]);

  return TRUE;
}

/**
 * sextant_portfolio_dup_symbols:
 *
 * Returns: (transfer full) (array zero-terminated=1): the holdings' symbols, in order
 */
char **
sextant_portfolio_dup_symbols (SextantPortfolio *self)
{
  char **symbols;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO (self), NULL);

  symbols = g_new0 (char *, self->holdings->len + 1);
  for (guint i = 0; i < self->holdings->len; i++)
    symbols[i] = g_strdup (g_array_index (self->holdings, SextantHolding, i).symbol);

  return symbols;
}
