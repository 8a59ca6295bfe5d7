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

/* Prompt-cache tokens are priced as multiples of the input price: on current Claude models a
 * write costs 1.25 times an input token and a read a tenth; on Nova a write costs what input
 * does and a read a quarter. */
#define CLAUDE_CACHE_WRITE 1.25
#define CLAUDE_CACHE_READ 0.10
#define NOVA_CACHE_WRITE 1.00
#define NOVA_CACHE_READ 0.25

typedef struct
{
  char   *pattern;
  double  input;
  double  output;
  double  cache_write;
  double  cache_read;
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
static const struct { const char *pattern; double input, output, cache_write, cache_read; } defaults[] = {
  { "amazon.nova-micro", 0.035, 0.14, 0.035 * NOVA_CACHE_WRITE, 0.035 * NOVA_CACHE_READ },
  { "amazon.nova-lite", 0.06, 0.24, 0.06 * NOVA_CACHE_WRITE, 0.06 * NOVA_CACHE_READ },
  { "amazon.nova-pro", 0.80, 3.20, 0.80 * NOVA_CACHE_WRITE, 0.80 * NOVA_CACHE_READ },
  { "anthropic.claude-3-haiku", 0.25, 1.25, 0.25 * CLAUDE_CACHE_WRITE, 0.25 * CLAUDE_CACHE_READ },
  { "anthropic.claude-3-5-haiku", 0.80, 4.00, 0.80 * CLAUDE_CACHE_WRITE, 0.80 * CLAUDE_CACHE_READ },
  { "anthropic.claude-haiku-4-5", 1.00, 5.00, 1.00 * CLAUDE_CACHE_WRITE, 1.00 * CLAUDE_CACHE_READ },
  { "anthropic.claude-3-5-sonnet", 6.00, 30.00, 6.00 * CLAUDE_CACHE_WRITE, 6.00 * CLAUDE_CACHE_READ },
  { "anthropic.claude-3-7-sonnet", 3.00, 15.00, 3.00 * CLAUDE_CACHE_WRITE, 3.00 * CLAUDE_CACHE_READ },
  { "anthropic.claude-sonnet-4", 3.00, 15.00, 3.00 * CLAUDE_CACHE_WRITE, 3.00 * CLAUDE_CACHE_READ },
  { "anthropic.claude-3-opus", 15.00, 75.00, 15.00 * CLAUDE_CACHE_WRITE, 15.00 * CLAUDE_CACHE_READ },
  { "anthropic.claude-opus-4", 15.00, 75.00, 15.00 * CLAUDE_CACHE_WRITE, 15.00 * CLAUDE_CACHE_READ },
  { "anthropic.claude-opus-4-5", 5.00, 25.00, 5.00 * CLAUDE_CACHE_WRITE, 5.00 * CLAUDE_CACHE_READ },
  { "anthropic.claude-opus-4-6", 5.00, 25.00, 5.00 * CLAUDE_CACHE_WRITE, 5.00 * CLAUDE_CACHE_READ },
};

/* The day the built-in prices were read (the table is dated: a price is only as good as then). */
#define DEFAULTS_AS_OF "2026-12-01"

static void
price_clear (gpointer data)
{
  g_free (((Price *) data)->pattern);
}

/* A price given without its cache prices (an older saved table, or [input, output] typed by
 * the user) gets the multiples of its family. */
static void
default_cache_prices (const char *pattern,
                      double      input,
                      double     *cache_write,
                      double     *cache_read)
{
  gboolean nova = strstr (pattern, "nova") != NULL;

  if (isnan (*cache_write))
    *cache_write = input * (nova ? NOVA_CACHE_WRITE : CLAUDE_CACHE_WRITE);
  if (isnan (*cache_read))
    *cache_read = input * (nova ? NOVA_CACHE_READ : CLAUDE_CACHE_READ);
}

/* Returns whether the table changed. */
static gboolean
set_price (SextantModelPrices *self,
           const char         *pattern,
           double              input,
           double              output,
           double              cache_write,
           double              cache_read)
{
  Price price = { NULL, input, output, cache_write, cache_read };

  default_cache_prices (pattern, input, &price.cache_write, &price.cache_read);
  for (guint i = 0; i < self->prices->len; i++)
    {
      Price *p = &g_array_index (self->prices, Price, i);

      if (g_str_equal (p->pattern, pattern))
        {
          if (p->input == input && p->output == output && p->cache_write == price.cache_write &&
              p->cache_read == price.cache_read)
            return FALSE;
          p->input = input;
          p->output = output;
          p->cache_write = price.cache_write;
          p->cache_read = price.cache_read;
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
    changed |= set_price (self, defaults[i].pattern, defaults[i].input, defaults[i].output,
                          defaults[i].cache_write, defaults[i].cache_read);

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

  if (set_price (self, pattern, input_per_mtok, output_per_mtok, NAN, NAN))
    g_signal_emit (self, signals [CHANGED], 0);
}

/**
 * sextant_model_prices_set_cache:
 * @self: a table
 * @pattern: a pattern already in the table
 * @cache_write_per_mtok: dollars per million tokens written to the prompt cache (≥ 0)
 * @cache_read_per_mtok: dollars per million tokens read from it (≥ 0)
 *
 * Returns: %FALSE if @pattern has no price yet
 */
gboolean
sextant_model_prices_set_cache (SextantModelPrices *self,
                                const char         *pattern,
                                double              cache_write_per_mtok,
                                double              cache_read_per_mtok)
{
  g_return_val_if_fail (SEXTANT_IS_MODEL_PRICES (self), FALSE);
  g_return_val_if_fail (pattern != NULL, FALSE);
  g_return_val_if_fail (cache_write_per_mtok >= 0 && cache_read_per_mtok >= 0, FALSE);

  for (guint i = 0; i < self->prices->len; i++)
    {
      Price *p = &g_array_index (self->prices, Price, i);

      if (g_str_equal (p->pattern, pattern))
        {
          if (set_price (self, pattern, p->input, p->output, cache_write_per_mtok, cache_read_per_mtok))
            g_signal_emit (self, signals [CHANGED], 0);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * sextant_model_prices_get_as_of:
 *
 * Returns: the day (YYYY-MM-DD) the built-in prices were read; edited prices are the user's
 */
const char *
sextant_model_prices_get_as_of (SextantModelPrices *self)
{
  g_return_val_if_fail (SEXTANT_IS_MODEL_PRICES (self), NULL);

  return DEFAULTS_AS_OF;
}

/**
 * sextant_model_prices_lookup_cache:
 * @self: a table
 * @model_id: a model id
 * @cache_write_per_mtok: (out) (optional): dollars per million cache-write tokens
 * @cache_read_per_mtok: (out) (optional): dollars per million cache-read tokens
 *
 * Returns: %TRUE if a pattern matches @model_id (the longest one is used)
 */
gboolean
sextant_model_prices_lookup_cache (SextantModelPrices *self,
                                   const char         *model_id,
                                   double             *cache_write_per_mtok,
                                   double             *cache_read_per_mtok)
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
  if (cache_write_per_mtok != NULL)
    *cache_write_per_mtok = best->cache_write;
  if (cache_read_per_mtok != NULL)
    *cache_read_per_mtok = best->cache_read;

  return TRUE;
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

/**
 * sextant_model_prices_estimate_usage:
 * @self: a table
 * @model_id: (nullable): the model
 * @input_tokens: input tokens not read from or written to the prompt cache (Bedrock's
 *   `inputTokens`)
 * @output_tokens: output tokens
 * @cache_read_tokens: `cacheReadInputTokens`
 * @cache_write_tokens: `cacheWriteInputTokens`
 *
 * Returns: the estimated cost in US dollars, or NaN when the model has no price
 */
double
sextant_model_prices_estimate_usage (SextantModelPrices *self,
                                     const char         *model_id,
                                     gint64              input_tokens,
                                     gint64              output_tokens,
                                     gint64              cache_read_tokens,
                                     gint64              cache_write_tokens)
{
  double in, out, write, read;

  if (!sextant_model_prices_lookup (self, model_id, &in, &out) ||
      !sextant_model_prices_lookup_cache (self, model_id, &write, &read))
    return NAN;

  return ((double) input_tokens * in + (double) output_tokens * out + (double) cache_write_tokens * write +
          (double) cache_read_tokens * read) / 1e6;
}

static double
element (JsonArray *array,
         guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) != G_TYPE_STRING &&
         json_node_get_value_type (node) != G_TYPE_BOOLEAN ? json_node_get_double (node) : -1;
}

/* [input, output] or [input, output, cache write, cache read]; the cache prices are NaN when
 * absent (their family's multiples then apply). */
static gboolean
read_prices (JsonObject *object,
             const char *pattern,
             double     *in,
             double     *out,
             double     *write,
             double     *read)
{
  JsonNode *node = json_object_get_member (object, pattern);
  JsonArray *prices = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = prices != NULL ? json_array_get_length (prices) : 0;

  *in = *out = -1;
  *write = *read = NAN;
  if (n != 2 && n != 4)
    return FALSE;
  *in = element (prices, 0);
  *out = element (prices, 1);
  if (n == 4)
    {
      *write = element (prices, 2);
      *read = element (prices, 3);
      if (!(*write >= 0 && *read >= 0 && isfinite (*write) && isfinite (*read)))
        return FALSE;
    }

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
      double in, out, write, read;

      if (!read_prices (object, l->data, &in, &out, &write, &read))
        {
          g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                       "Price of “%s”: expected [input, output] or [input, output, cache write, cache read] "
                       "dollars per million tokens, all ≥ 0",
                       (const char *) l->data);
          return FALSE;
        }
    }
  for (GList *l = members; l != NULL; l = l->next)
    {
      double in, out, write, read;

      read_prices (object, l->data, &in, &out, &write, &read);
      changed |= set_price (self, l->data, in, out, write, read);
    }
  if (changed)
    g_signal_emit (self, signals [CHANGED], 0);

  return TRUE;
}

static gboolean
cache_prices_derived (const Price *p)
{
  double write = NAN, read = NAN;

  default_cache_prices (p->pattern, p->input, &write, &read);

  return write == p->cache_write && read == p->cache_read;
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

      if (edits_only && d >= 0 && defaults[d].input == p->input && defaults[d].output == p->output &&
          defaults[d].cache_write == p->cache_write && defaults[d].cache_read == p->cache_read)
        continue;
      json_builder_set_member_name (b, p->pattern);
      json_builder_begin_array (b);
      json_builder_add_double_value (b, p->input);
      json_builder_add_double_value (b, p->output);
      /* Cache prices only when they are not the family's multiples of the input price. */
      if (!cache_prices_derived (p))
        {
          json_builder_add_double_value (b, p->cache_write);
          json_builder_add_double_value (b, p->cache_read);
        }
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
