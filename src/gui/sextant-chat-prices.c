#define G_LOG_DOMAIN "sextant-chat-prices"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sextant-chat-prices.h"

/* The table behind the chat's cost estimates: dollars per million tokens, per model family.
 * Bedrock bills per region, per contract and per tier, so these are estimates the user can
 * edit; they are kept as a small JSON file beside the database, and the defaults are the
 * public on-demand list prices of us-east-1. */

struct _SextantChatPrices
{
  GObject  parent_instance;
  char    *path;
  GArray  *prices;
};

enum { CHANGED, N_SIGNALS };
static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (SextantChatPrices, sextant_chat_prices, G_TYPE_OBJECT)

/* Longer patterns first: the first match wins. */
static const struct { const char *pattern; double input, output; } defaults[] = {
  { "claude-opus-4", 15.0, 75.0 },
  { "claude-sonnet-4", 3.0, 15.0 },
  { "claude-3-7-sonnet", 3.0, 15.0 },
  { "claude-3-5-sonnet", 3.0, 15.0 },
  { "claude-3-5-haiku", 0.8, 4.0 },
  { "claude-3-haiku", 0.25, 1.25 },
  { "nova-premier", 2.5, 12.5 },
  { "nova-pro", 0.8, 3.2 },
  { "nova-lite", 0.06, 0.24 },
  { "nova-micro", 0.035, 0.14 },
};

static void
price_clear (gpointer data)
{
  g_free (((SextantChatPrice *) data)->pattern);
}

static void
sextant_chat_prices_finalize (GObject *object)
{
  SextantChatPrices *self = (SextantChatPrices *)object;

  g_free (self->path);
  g_array_unref (self->prices);

  G_OBJECT_CLASS (sextant_chat_prices_parent_class)->finalize (object);
}

static void
sextant_chat_prices_class_init (SextantChatPricesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_chat_prices_finalize;

  signals [CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sextant_chat_prices_init (SextantChatPrices *self)
{
  self->prices = g_array_new (FALSE, TRUE, sizeof (SextantChatPrice));
  g_array_set_clear_func (self->prices, price_clear);
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      SextantChatPrice price = { g_strdup (defaults[i].pattern), defaults[i].input, defaults[i].output };

      g_array_append_val (self->prices, price);
    }
}

/* Saved prices override the defaults of the same pattern; a broken file keeps the defaults. */
static void
load (SextantChatPrices *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    return;
  if (!json_parser_load_from_file (parser, self->path, &error))
    {
      g_warning ("Ignoring the price table %s: %s", self->path, error->message);
      return;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  for (guint i = 0; i < self->prices->len; i++)
    {
      SextantChatPrice *price = &g_array_index (self->prices, SextantChatPrice, i);
      JsonObject *entry = json_object_get_object_member (json_node_get_object (root), price->pattern);

      if (entry == NULL)
        continue;
      price->input = json_object_get_double_member_with_default (entry, "input", price->input);
      price->output = json_object_get_double_member_with_default (entry, "output", price->output);
    }
}

/**
 * sextant_chat_prices_new:
 * @path: (nullable): the JSON file to read and save; %NULL for defaults that are never saved
 *
 * Returns: (transfer full): the price table
 */
SextantChatPrices *
sextant_chat_prices_new (const char *path)
{
  SextantChatPrices *self = g_object_new (SEXTANT_TYPE_CHAT_PRICES, NULL);

  self->path = g_strdup (path);
  if (path != NULL)
    load (self);

  return self;
}

guint
sextant_chat_prices_get_n_prices (SextantChatPrices *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_PRICES (self), 0);

  return self->prices->len;
}

const SextantChatPrice *
sextant_chat_prices_get_price (SextantChatPrices *self,
                               guint              index)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_PRICES (self), NULL);
  g_return_val_if_fail (index < self->prices->len, NULL);

  return &g_array_index (self->prices, SextantChatPrice, index);
}

/**
 * sextant_chat_prices_lookup:
 * @self: the table
 * @model_id: (nullable): a model id, inference profile id or ARN
 *
 * Returns: (nullable): the first price whose pattern @model_id contains
 */
const SextantChatPrice *
sextant_chat_prices_lookup (SextantChatPrices *self,
                            const char        *model_id)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_PRICES (self), NULL);

  for (guint i = 0; model_id != NULL && i < self->prices->len; i++)
    {
      const SextantChatPrice *price = &g_array_index (self->prices, SextantChatPrice, i);

      if (strstr (model_id, price->pattern) != NULL)
        return price;
    }

  return NULL;
}

void
sextant_chat_prices_set (SextantChatPrices *self,
                         guint              index,
                         double             input,
                         double             output)
{
  SextantChatPrice *price;

  g_return_if_fail (SEXTANT_IS_CHAT_PRICES (self));
  g_return_if_fail (index < self->prices->len);
  g_return_if_fail (input >= 0 && output >= 0);

  price = &g_array_index (self->prices, SextantChatPrice, index);
  if (price->input == input && price->output == output)
    return;
  price->input = input;
  price->output = output;
  g_signal_emit (self, signals [CHANGED], 0);
}

/**
 * sextant_chat_prices_estimate:
 * @self: the table
 * @model_id: (nullable): the model that used the tokens
 * @input_tokens: input tokens
 * @output_tokens: output tokens
 * @cost: (out): the estimate in US dollars
 *
 * Returns: whether the table has a price for @model_id
 */
gboolean
sextant_chat_prices_estimate (SextantChatPrices *self,
                              const char        *model_id,
                              gint64             input_tokens,
                              gint64             output_tokens,
                              double            *cost)
{
  const SextantChatPrice *price;

  g_return_val_if_fail (SEXTANT_IS_CHAT_PRICES (self), FALSE);
  g_return_val_if_fail (cost != NULL, FALSE);

  if ((price = sextant_chat_prices_lookup (self, model_id)) == NULL)
    return FALSE;
  *cost = (input_tokens * price->input + output_tokens * price->output) / 1e6;

  return TRUE;
}

gboolean
sextant_chat_prices_save (SextantChatPrices  *self,
                          GError            **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (SEXTANT_IS_CHAT_PRICES (self), FALSE);

  if (self->path == NULL)
    return TRUE;
  json_builder_begin_object (b);
  for (guint i = 0; i < self->prices->len; i++)
    {
      const SextantChatPrice *price = &g_array_index (self->prices, SextantChatPrice, i);

      json_builder_set_member_name (b, price->pattern);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "input");
      json_builder_add_double_value (b, price->input);
      json_builder_set_member_name (b, "output");
      json_builder_add_double_value (b, price->output);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, TRUE);
  dir = g_path_get_dirname (self->path);
  g_mkdir_with_parents (dir, 0700);

  return g_file_set_contents (self->path, json, -1, error);
}

/**
 * sextant_chat_prices_format_cost:
 * @cost: US dollars
 *
 * Returns: (transfer full): “≈ $0.0123” — small costs keep three significant digits
 */
char *
sextant_chat_prices_format_cost (double cost)
{
  /* Translators: an estimated cost in US dollars */
  if (cost < 0.01)
    return g_strdup_printf (_("≈ $%.4f"), cost);

  return g_strdup_printf (_("≈ $%.2f"), cost);
}
