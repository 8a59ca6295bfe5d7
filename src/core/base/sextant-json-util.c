#define G_LOG_DOMAIN "sextant-json-util"

#include "config.h"

#include <math.h>

#include "base/sextant-json-util.h"

/**
 * sextant_json_add_double:
 * @builder: a builder inside an object
 * @name: the member's name
 * @value: its value
 *
 * Adds the member @name: @value, or null when @value is not finite (JSON has no NaN or
 * infinity; a missing figure reads as null to every consumer of Sextant's JSON).
 */
void
sextant_json_add_double (JsonBuilder *builder,
                         const char  *name,
                         double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * sextant_json_add_string:
 * @builder: a builder inside an object
 * @name: the member's name
 * @value: its value
 */
void
sextant_json_add_string (JsonBuilder *builder,
                         const char  *name,
                         const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/**
 * sextant_json_add_int:
 * @builder: a builder inside an object
 * @name: the member's name
 * @value: its value
 */
void
sextant_json_add_int (JsonBuilder *builder,
                      const char  *name,
                      gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/**
 * sextant_json_add_boolean:
 * @builder: a builder inside an object
 * @name: the member's name
 * @value: its value
 */
void
sextant_json_add_boolean (JsonBuilder *builder,
                          const char  *name,
                          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}
