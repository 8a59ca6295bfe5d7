#define G_LOG_DOMAIN "sextant-model-prices"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "agent/sextant-agent-error.h"
#include "agent/sextant-model-prices.h"

/* The price table behind the chat window's cost estimate: US dollars per million input and
 * output tokens, by model. A pattern matches any model id containing it, so one entry covers
 * the plain id, its cross-region inference profiles (`us.…`, `eu.…`) and ARNs; the longest
 * matching pattern wins. The defaults are AWS's published on-demand prices for us-east-1 at the
 * time of writing; prices change, so the table is editable and saved by the caller as JSON:
 * sextant_model_prices_edits_to_json() keeps only what the user changed, so a later release's
 * new defaults still reach every price the user never touched. An estimate, never a bill. */

typedef struct
{
  char   *pattern;
  double  input;
  double  output;
} Price;

struct _SextantModelPrices
{
  GObject  parent_instance;
  GArray  *prices;
};

enum { CHANGED, N_SIGNALS };
static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (SextantModelPrices, sextant_model_prices, G_TYPE_OBJECT)

/* Claude Haiku 4.5 ($1/$5), Sonnet 4.5/4.6 ($3/$15), Opus 4.5 and later ($5/$25) and Claude 3.5
 * Sonnet on Bedrock ($6/$30): on-demand list prices as of 2026 from secondary copies of AWS's
 * Bedrock pricing page, which renders its figures client-side (clauder-navi.com's Bedrock Claude
 * cost page, sam.mehdi.consulting, crazyrouter); the others from AWS's page for us-east-1. */
static const struct { const char *pattern; double input, output; } defaults[] = {
  { "amazon.nova-micro", 0.035, 0.14 },
  { "amazon.nova-lite", 0.06, 0.24 },
  { "amazon.nova-pro", 0.80, 3.20 },
  { "anthropic.claude-3-haiku", 0.25, 1.25 },
  { "anthropic.claude-3-5-haiku", 0.80, 4.00 },
  { "anthropic.claude-haiku-4-5", 1.00, 5.00 },
  { "anthropic.claude-3-5-sonnet", 6.00, 30.00 },
  { "anthropic.claude-3-7-sonnet", 3.00, 15.00 },
  { "anthropic.claude-sonnet-4", 3.00, 15.00 },
  { "anthropic.claude-3-opus", 15.00, 75.00 },
  { "anthropic.claude-opus-4", 15.00, 75.00 },
  { "anthropic.claude-opus-4-5", 5.00, 25.00 },
  { "anthropic.claude-opus-4-6", 5.00, 25.00 },
};

static void
price_clear (gpointer data)
{
  g_free (((Price *) data)->pattern);
}

/* Returns whether the table changed. */
static gboolean
set_price (SextantModelPrices *self,
           const char         *pattern,
           double              input,
           double              output)
{
  Price price = { NULL, input, output };

  for (guint i = 0; i < self->prices->len; i++)
    {
      Price *p = &g_array_index (self->prices, Price, i);

      if (g_str_equal (p->pattern, pattern))
        {
          if (p->input == input && p->output == output)
            return FALSE;
          p->input = input;
          p->output = output;
          return TRUE;
        }
    }
  price.pattern = g_strdup (pattern);
  g_array_append_val (self->prices, price);

  return TRUE;
}

/* Returns whether the table changed. */
static gboolean
set_defaults (SextantModelPrices *self)
{
  gboolean changed = self->prices->len != G_N_ELEMENTS (defaults);

  /* Edited entries change back; entries the user added go. */
  if (changed)
    g_array_set_size (self->prices, 0);
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    changed |= set_price (self, defaults[i].pattern, defaults[i].input, defaults[i].output);

  return changed;
}

static int
find_default (const char *pattern)
{
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (g_str_equal (defaults[i].pattern, pattern))
      return i;

  return -1;
}

static void
sextant_model_prices_finalize (GObject *object)
{
  g_array_unref (SEXTANT_MODEL_PRICES (object)->prices);

  G_OBJECT_CLASS (sextant_model_prices_parent_class)->finalize (object);
}

static void
sextant_model_prices_class_init (SextantModelPricesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_model_prices_finalize;

  /**
   * SextantModelPrices::changed:
   *
   * A price was added or changed, or the table was reset or loaded: estimates shown must be
   * computed again.
   */
  signals [CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sextant_model_prices_init (SextantModelPrices *self)
{
  self->prices = g_array_new (FALSE, FALSE, sizeof (Price));
  g_array_set_clear_func (self->prices, price_clear);
  set_defaults (self);
}

/**
 * sextant_model_prices_new:
 *
 * Returns: (transfer full): a table holding the built-in prices
 */
SextantModelPrices *
sextant_model_prices_new (void)
{
  return g_object_new (SEXTANT_TYPE_MODEL_PRICES, NULL);
}

/**
 * sextant_model_prices_reset:
 * @self: a table
 *
 * Drops every edit and goes back to the built-in prices.
 */
void
sextant_model_prices_reset (SextantModelPrices *self)
{
  g_return_if_fail (SEXTANT_IS_MODEL_PRICES (self));

  if (set_defaults (self))
    g_signal_emit (self, signals [CHANGED], 0);
}

/**
 * sextant_model_prices_set:
 * @self: a table
 * @pattern: a model id or part of one (`anthropic.claude-3-haiku`)
 * @input_per_mtok: US dollars per million input tokens (≥ 0)
 * @output_per_mtok: US dollars per million output tokens (≥ 0)
 *
 * Adds the pattern or replaces its prices; #SextantModelPrices::changed follows a real change.
 */
void
sextant_model_prices_set (SextantModelPrices *self,
                          const char         *pattern,
                          double              input_per_mtok,
                          double              output_per_mtok)
{
  g_return_if_fail (SEXTANT_IS_MODEL_PRICES (self));
  g_return_if_fail (pattern != NULL && *pattern != '\0');
  g_return_if_fail (input_per_mtok >= 0 && output_per_mtok >= 0);

  if (set_price (self, pattern, input_per_mtok, output_per_mtok))
    g_signal_emit (self, signals [CHANGED], 0);
}

/**
 * sextant_model_prices_get_n_prices:
 * @self: a table
 *
 * Returns: how many patterns the table prices (for an editor listing them)
 */
guint
sextant_model_prices_get_n_prices (SextantModelPrices *self)
{
  g_return_val_if_fail (SEXTANT_IS_MODEL_PRICES (self), 0);

  return self->prices->len;
}

/**
 * sextant_model_prices_get_price:
 * @self: a table
 * @index: below sextant_model_prices_get_n_prices(); the built-in patterns come first, in a
 *   fixed order, then those added
 * @input_per_mtok: (out) (optional): dollars per million input tokens
 * @output_per_mtok: (out) (optional): dollars per million output tokens
 *
 * Returns: (transfer none): the pattern at @index
 */
const char *
sextant_model_prices_get_price (SextantModelPrices *self,
                                guint               index,
                                double             *input_per_mtok,
                                double             *output_per_mtok)
{
  const Price *p;

  g_return_val_if_fail (SEXTANT_IS_MODEL_PRICES (self), NULL);
  g_return_val_if_fail (index < self->prices->len, NULL);

  p = &g_array_index (self->prices, Price, index);
  if (input_per_mtok != NULL)
    *input_per_mtok = p->input;
  if (output_per_mtok != NULL)
    *output_per_mtok = p->output;

  return p->pattern;
}

/**
 * sextant_model_prices_lookup:
 * @self: a table
 * @model_id: a model id, inference profile id or ARN
 * @input_per_mtok: (out) (optional): dollars per million input tokens
 * @output_per_mtok: (out) (optional): dollars per million output tokens
 *
 * Returns: %TRUE if a pattern matches @model_id (the longest one is used)
 */
gboolean
sextant_model_prices_lookup (SextantModelPrices *self,
                             const char         *model_id,
                             double             *input_per_mtok,
                             double             *output_per_mtok)
{
  const Price *best = NULL;

  g_return_val_if_fail (SEXTANT_IS_MODEL_PRICES (self), FALSE);

  for (guint i = 0; model_id != NULL && i < self->prices->len; i++)
    {
      const Price *p = &g_array_index (self->prices, Price, i);

      if (strstr (model_id, p->pattern) != NULL && (best == NULL || strlen (p->pattern) > strlen (best->pattern)))
        best = p;
    }
  if (best == NULL)
    return FALSE;
  if (input_per_mtok != NULL)
    *input_per_mtok = best->input;
  if (output_per_mtok != NULL)
    *output_per_mtok = best->output;

  return TRUE;
}

/**
 * sextant_model_prices_estimate:
 * @self: a table
 * @model_id: (nullable): the model
 * @input_tokens: input tokens
 * @output_tokens: output tokens
 *
 * Returns: the estimated cost in US dollars, or NaN when the model has no price
 */
double
sextant_model_prices_estimate (SextantModelPrices *self,
                               const char         *model_id,
                               gint64              input_tokens,
                               gint64              output_tokens)
{
  double in, out;

  if (!sextant_model_prices_lookup (self, model_id, &in, &out))
    return NAN;

  return (input_tokens * in + output_tokens * out) / 1e6;
}

static gboolean
read_pair (JsonObject *object,
           const char *pattern,
           double     *in,
           double     *out)
{
  JsonNode *node = json_object_get_member (object, pattern);
  JsonArray *pair = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  *in = pair != NULL && json_array_get_length (pair) == 2 ? json_array_get_double_element (pair, 0) : -1;
  *out = pair != NULL && json_array_get_length (pair) == 2 ? json_array_get_double_element (pair, 1) : -1;

  return *in >= 0 && *out >= 0 && isfinite (*in) && isfinite (*out) && pattern[0] != '\0';
}

/**
 * sextant_model_prices_load_json:
 * @self: a table
 * @json: `{"pattern": [input_per_mtok, output_per_mtok], …}`, as saved by
 *   sextant_model_prices_to_json(); the entries are set on top of the current ones
 * @error: %SEXTANT_AGENT_ERROR_INVALID_INPUT naming the bad entry
 *
 * A table with a bad entry changes nothing: a half-read setting would mix two tables.
 */
gboolean
sextant_model_prices_load_json (SextantModelPrices  *self,
                                const char          *json,
                                GError             **error)
{
  g_autoptr(JsonNode) root = json_from_string (json, error);
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  gboolean changed = FALSE;

  g_return_val_if_fail (SEXTANT_IS_MODEL_PRICES (self), FALSE);

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                   "The price table must be a JSON object of model → [input, output]");
      return FALSE;
    }
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      double in, out;

      if (!read_pair (object, l->data, &in, &out))
        {
          g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                       "Price of “%s”: expected [input, output] dollars per million tokens, both ≥ 0",
                       (const char *) l->data);
          return FALSE;
        }
    }
  for (GList *l = members; l != NULL; l = l->next)
    {
      double in, out;

      read_pair (object, l->data, &in, &out);
      changed |= set_price (self, l->data, in, out);
    }
  if (changed)
    g_signal_emit (self, signals [CHANGED], 0);

  return TRUE;
}

static char *
to_json (SextantModelPrices *self,
         gboolean            edits_only)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  for (guint i = 0; i < self->prices->len; i++)
    {
      const Price *p = &g_array_index (self->prices, Price, i);
      int d = find_default (p->pattern);

      if (edits_only && d >= 0 && defaults[d].input == p->input && defaults[d].output == p->output)
        continue;
      json_builder_set_member_name (b, p->pattern);
      json_builder_begin_array (b);
      json_builder_add_double_value (b, p->input);
      json_builder_add_double_value (b, p->output);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  return json_to_string (root, FALSE);
}

/**
 * sextant_model_prices_to_json:
 *
 * Returns: (transfer full): the whole table as JSON
 */
char *
sextant_model_prices_to_json (SextantModelPrices *self)
{
  g_return_val_if_fail (SEXTANT_IS_MODEL_PRICES (self), NULL);

  return to_json (self, FALSE);
}

/**
 * sextant_model_prices_edits_to_json:
 *
 * What to save in settings: loading it with sextant_model_prices_load_json() into a fresh table
 * gives this table again, yet a built-in price the user never edited is not frozen in it.
 *
 * Returns: (transfer full): the prices that differ from the built-in ones, and those added, as JSON
 */
char *
sextant_model_prices_edits_to_json (SextantModelPrices *self)
{
  g_return_val_if_fail (SEXTANT_IS_MODEL_PRICES (self), NULL);

  return to_json (self, TRUE);
}
