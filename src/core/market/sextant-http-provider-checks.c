#define G_LOG_DOMAIN "sextant-http-provider"

#include "config.h"

#include <math.h>
#include <string.h>

#include "market/sextant-http-provider.h"

/* Provider answers are untrusted input: JSON that parses may still have any shape. Each member
 * is reached through these checks, which say which provider, which member and what came instead,
 * rather than through json-glib's getters, whose type assertions print CRITICALs and return 0
 * (stored as a price, or as 1970-01-01). */

/* Timestamps outside 1900-01-01 … 2200-01-01 are not market data: 0 is a null made a number, and
 * 1e300 would overflow the conversion to an integer. */
#define MIN_TIMESTAMP (-2208988800.0)
#define MAX_TIMESTAMP (7258118400.0)

static char *
describe_node (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("missing");

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup ("an object");
    case JSON_NODE_ARRAY:
      return g_strdup ("an array");
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      g_autofree char *valid = g_utf8_make_valid (text, MIN (strlen (text), 40));

      return g_strdup_printf ("the string “%s”", valid);
    }
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");

  return g_strdup ("a number");
}

static void
set_shape_error (SextantHttpProvider  *self,
                 GError              **error,
                 const char           *member,
                 const char           *symbol,
                 JsonNode             *node,
                 const char           *expected)
{
  g_autofree char *found = describe_node (node);

  sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_PARSE,
                                   "“%s” for %s is %s, expected %s", member, symbol, found,
                                   expected);
}

/**
 * sextant_http_provider_check_json_integers:
 * @data: a JSON text
 * @len: its length
 *
 * json-glib reads an integer literal too long for 64 bits as a wrapped value (a timestamp of
 * thirty digits becomes -1) without an error, so such literals are found before parsing. Digits
 * after a `.` or an exponent are a double's and are left alone, as are strings.
 *
 * Returns: %TRUE if no integer literal has more than 18 digits
 */
gboolean
sextant_http_provider_check_json_integers (const char *data,
                                           gsize       len)
{
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      gsize digits = 0;
      gboolean integer = TRUE;

      if (in_string)
        {
          if (data[i] == '\\')
            i++;
          else if (data[i] == '"')
            in_string = FALSE;
          continue;
        }
      if (data[i] == '"')
        {
          in_string = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (data[i]))
        continue;
      /* A number token: its digits, then whether a fraction or an exponent makes it a double. */
      for (; i < len && g_ascii_isdigit (data[i]); i++)
        digits++;
      for (; i < len && (g_ascii_isdigit (data[i]) ||
                             (data[i] != '\0' && strchr (".eE+-", data[i]) != NULL)); i++)
        integer = FALSE;
      if (integer && digits > 18)
        return FALSE;
      i--;
    }

  return TRUE;
}

/**
 * sextant_http_provider_json_object:
 * @self: a provider
 * @node: (nullable): a node
 * @member: what @node is, for the message (`the answer`, `Global Quote`)
 * @symbol: the symbol asked for
 * @error: return location for a %SEXTANT_MARKET_ERROR_PARSE naming @member
 *
 * Returns: (transfer none) (nullable): the object @node holds
 */
JsonObject *
sextant_http_provider_json_object (SextantHttpProvider  *self,
                                   JsonNode             *node,
                                   const char           *member,
                                   const char           *symbol,
                                   GError              **error)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);

  set_shape_error (self, error, member, symbol, node, "an object");

  return NULL;
}

/**
 * sextant_http_provider_json_get_object:
 * @self: a provider
 * @object: an object
 * @member: a member that must be an object
 * @symbol: the symbol asked for
 * @error: return location
 *
 * Returns: (transfer none) (nullable): the member's object
 */
JsonObject *
sextant_http_provider_json_get_object (SextantHttpProvider  *self,
                                       JsonObject           *object,
                                       const char           *member,
                                       const char           *symbol,
                                       GError              **error)
{
  return sextant_http_provider_json_object (self, json_object_get_member (object, member), member,
                                            symbol, error);
}

/**
 * sextant_http_provider_json_get_array:
 * @self: a provider
 * @object: an object
 * @member: a member that must be an array
 * @symbol: the symbol asked for
 * @error: return location
 *
 * Returns: (transfer none) (nullable): the member's array
 */
JsonArray *
sextant_http_provider_json_get_array (SextantHttpProvider  *self,
                                      JsonObject           *object,
                                      const char           *member,
                                      const char           *symbol,
                                      GError              **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return json_node_get_array (node);

  set_shape_error (self, error, member, symbol, node, "an array");

  return NULL;
}

static gboolean
node_number (SextantHttpProvider  *self,
             JsonNode             *node,
             const char           *member,
             const char           *symbol,
             gboolean              required,
             double               *value,
             GError              **error)
{
  *value = NAN;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      set_shape_error (self, error, member, symbol, node, "a number");
      return FALSE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      sextant_market_parse_number (json_node_get_string (node), value) && isfinite (*value))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
                                       json_node_get_value_type (node) == G_TYPE_INT64))
    {
      *value = json_node_get_double (node);
      if (isfinite (*value))
        return TRUE;
    }

  *value = NAN;
  set_shape_error (self, error, member, symbol, node, "a finite number");

  return FALSE;
}

/**
 * sextant_http_provider_json_get_number:
 * @self: a provider
 * @object: an object
 * @member: a member holding a number, or a string that is one (Alpha Vantage)
 * @symbol: the symbol asked for
 * @required: whether a missing or null member is an error rather than NaN
 * @value: (out): the number, NaN when missing or null and not @required
 * @error: return location
 *
 * Returns: %FALSE if the member is something else than a finite number (or is missing or null
 *   and @required)
 */
gboolean
sextant_http_provider_json_get_number (SextantHttpProvider  *self,
                                       JsonObject           *object,
                                       const char           *member,
                                       const char           *symbol,
                                       gboolean              required,
                                       double               *value,
                                       GError              **error)
{
  return node_number (self, json_object_get_member (object, member), member, symbol, required,
                      value, error);
}

/**
 * sextant_http_provider_json_element_number:
 * @self: a provider
 * @array: an array
 * @index: an index below the array's length
 * @member: the array's name, for the message
 * @symbol: the symbol asked for
 * @value: (out): the number, NaN for null (a session without trades)
 * @error: return location
 *
 * Returns: %FALSE if the element is neither null nor a finite number
 */
gboolean
sextant_http_provider_json_element_number (SextantHttpProvider  *self,
                                           JsonArray            *array,
                                           guint                 index,
                                           const char           *member,
                                           const char           *symbol,
                                           double               *value,
                                           GError              **error)
{
  g_autofree char *name = g_strdup_printf ("%s[%u]", member, index);

  return node_number (self, json_array_get_element (array, index), name, symbol, FALSE, value,
                      error);
}

/**
 * sextant_http_provider_json_get_string:
 * @self: a provider
 * @object: an object
 * @member: a member that must be a string
 * @symbol: the symbol asked for
 * @error: return location
 *
 * Returns: (transfer none) (nullable): the string
 */
const char *
sextant_http_provider_json_get_string (SextantHttpProvider  *self,
                                       JsonObject           *object,
                                       const char           *member,
                                       const char           *symbol,
                                       GError              **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  set_shape_error (self, error, member, symbol, node, "a string");

  return NULL;
}

/**
 * sextant_http_provider_check_timestamp:
 * @self: a provider
 * @seconds: a unix time as the provider sent it
 * @member: where it came from, for the message
 * @symbol: the symbol asked for
 * @timestamp: (out): @seconds as an integer, once checked
 * @error: return location
 *
 * Returns: %FALSE for a NaN, zero or out-of-range time
 */
gboolean
sextant_http_provider_check_timestamp (SextantHttpProvider  *self,
                                       double                seconds,
                                       const char           *member,
                                       const char           *symbol,
                                       gint64               *timestamp,
                                       GError              **error)
{
  if (!isfinite (seconds) || seconds == 0.0 || seconds < MIN_TIMESTAMP || seconds > MAX_TIMESTAMP)
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "“%s” for %s is not a time (%g)", member, symbol, seconds);
      return FALSE;
    }
  *timestamp = (gint64) floor (seconds);

  return TRUE;
}

static gboolean
check_price (SextantHttpProvider  *self,
             const char           *row,
             const char           *name,
             double                value,
             GError              **error)
{
  if (isnan (value) || (isfinite (value) && value > 0))
    return TRUE;

  sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_PARSE,
                                   "%s: the %s is %g, not a positive price", row, name, value);

  return FALSE;
}

/**
 * sextant_http_provider_check_bar:
 * @self: a provider
 * @row: the row, for the message (`bar 2024-01-05 of MSFT`)
 * @open: open, or NaN
 * @high: high, or NaN
 * @low: low, or NaN
 * @close: close, or NaN
 * @volume: volume, or NaN
 * @error: return location for a %SEXTANT_MARKET_ERROR_PARSE naming @row
 *
 * NaN is a missing value (null in the answer) and stays a gap; a value that is there must be a
 * positive finite price, a volume must not be negative, and the high may not be below the low.
 *
 * Returns: %TRUE if the bar may be stored
 */
gboolean
sextant_http_provider_check_bar (SextantHttpProvider  *self,
                                 const char           *row,
                                 double                open,
                                 double                high,
                                 double                low,
                                 double                close,
                                 double                volume,
                                 GError              **error)
{
  if (!check_price (self, row, "open", open, error) ||
      !check_price (self, row, "high", high, error) ||
      !check_price (self, row, "low", low, error) ||
      !check_price (self, row, "close", close, error))
    return FALSE;
  if (!isnan (volume) && (!isfinite (volume) || volume < 0))
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "%s: the volume is %g", row, volume);
      return FALSE;
    }
  if (high < low)
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "%s: the high (%g) is below the low (%g)", row, high, low);
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_http_provider_check_quote:
 * @self: a provider
 * @quote: a parsed quote
 * @error: return location for a %SEXTANT_MARKET_ERROR_PARSE naming the field
 *
 * The same checks as sextant_http_provider_check_bar() on the session's prices, a price that
 * must be there, a previous close that is a price, and a change and a percentage change that are
 * finite (a previous close of 0 makes "+inf %").
 *
 * Returns: %TRUE if the quote may be stored and shown
 */
gboolean
sextant_http_provider_check_quote (SextantHttpProvider  *self,
                                   const SextantQuote   *quote,
                                   GError              **error)
{
  g_autofree char *row = g_strdup_printf ("quote for %s", quote->symbol);

  /* A quote is a current price: one dated 1970-01-01 or before is a null or a garbled date. */
  if (quote->as_of <= 0 || quote->as_of > (gint64) MAX_TIMESTAMP)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (CLAMP (quote->as_of, -62135596800,
                                                                        253402300799));
      g_autofree char *text = time != NULL ? g_date_time_format_iso8601 (time) : g_strdup ("?");

      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "%s: dated %s, not a time a quote can have", row, text);
      return FALSE;
    }
  if (isnan (quote->price))
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "%s: no price", row);
      return FALSE;
    }
  if (!check_price (self, row, "price", quote->price, error) ||
      !check_price (self, row, "previous close", quote->previous_close, error) ||
      !sextant_http_provider_check_bar (self, row, quote->open, quote->high, quote->low, NAN,
                                        quote->volume, error))
    return FALSE;
  if (isinf (quote->change) || isinf (quote->change_percent))
    {
      sextant_http_provider_set_error (self, error, SEXTANT_MARKET_ERROR_PARSE,
                                       "%s: the change is %+g (%+g %%)", row, quote->change,
                                       quote->change_percent);
      return FALSE;
    }

  return TRUE;
}
