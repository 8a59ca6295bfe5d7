#define G_LOG_DOMAIN "sextant-json-schema"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "agent/sextant-agent-error.h"
#include "agent/sextant-json-schema.h"

/* A validator for the small subset of JSON Schema (draft 2020-12 keywords) that Sextant's tool
 * schemas use: type (object, array, string, number, integer, boolean), properties, required,
 * additionalProperties: false, enum (strings), minimum, maximum, minItems, maxItems, items,
 * minLength and maxLength. json-glib has no validator and Debian 12 packages none for C, so this
 * one is written here; any other keyword is ignored, which is safe because the schemas are ours. */

static gboolean validate (JsonObject *schema, JsonNode *node, const char *path, GError **error);

static gboolean
fail (GError     **error,
      const char  *path,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      const char  *path,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT, "%s: %s", path, message);

  return FALSE;
}

static const char *
node_kind (JsonNode *node)
{
  GType type;

  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return "string";
  if (type == G_TYPE_BOOLEAN)
    return "boolean";
  if (type == G_TYPE_INT64)
    return "integer";

  return "number";
}

static gboolean
type_matches (const char *want,
              JsonNode   *node)
{
  const char *kind = node_kind (node);

  if (g_str_equal (want, kind))
    return TRUE;
  if (g_str_equal (want, "number") && g_str_equal (kind, "integer"))
    return TRUE;
  /* 3.0 is an integer in JSON Schema: models often write whole numbers that way. */
  if (g_str_equal (want, "integer") && g_str_equal (kind, "number"))
    {
      double v = json_node_get_double (node);

      return isfinite (v) && v == floor (v) && fabs (v) < 9007199254740992.0;
    }

  return FALSE;
}

static gboolean
check_number (JsonObject  *schema,
              JsonNode    *node,
              const char  *path,
              GError     **error)
{
  double v = json_node_get_double (node);

  if (!isfinite (v))
    return fail (error, path, _("%g is not a finite number"), v);
  if (json_object_has_member (schema, "minimum") &&
      v < json_object_get_double_member (schema, "minimum"))
    return fail (error, path, _("%g is below the minimum %g"), v,
                 json_object_get_double_member (schema, "minimum"));
  if (json_object_has_member (schema, "maximum") &&
      v > json_object_get_double_member (schema, "maximum"))
    return fail (error, path, _("%g is above the maximum %g"), v,
                 json_object_get_double_member (schema, "maximum"));

  return TRUE;
}

static gboolean
check_string (JsonObject  *schema,
              JsonNode    *node,
              const char  *path,
              GError     **error)
{
  const char *s = json_node_get_string (node);
  glong len = g_utf8_strlen (s, -1);
  JsonArray *choices;

  if (json_object_has_member (schema, "minLength") &&
      len < json_object_get_int_member (schema, "minLength"))
    return fail (error, path, _("“%s” is shorter than %" PRId64 " characters"), s,
                 json_object_get_int_member (schema, "minLength"));
  if (json_object_has_member (schema, "maxLength") &&
      len > json_object_get_int_member (schema, "maxLength"))
    return fail (error, path, _("a string longer than %" PRId64 " characters"),
                 json_object_get_int_member (schema, "maxLength"));
  if (!json_object_has_member (schema, "enum"))
    return TRUE;

  choices = json_object_get_array_member (schema, "enum");
  for (guint i = 0; i < json_array_get_length (choices); i++)
    if (g_strcmp0 (json_array_get_string_element (choices, i), s) == 0)
      return TRUE;

  {
    g_autoptr(GString) list = g_string_new (NULL);

    for (guint i = 0; i < json_array_get_length (choices); i++)
      g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", json_array_get_string_element (choices, i));
    return fail (error, path, _("“%s” is not one of %s"), s, list->str);
  }
}

static gboolean
check_array (JsonObject  *schema,
             JsonNode    *node,
             const char  *path,
             GError     **error)
{
  JsonArray *array = json_node_get_array (node);
  guint n = json_array_get_length (array);

  if (json_object_has_member (schema, "minItems") &&
      n < json_object_get_int_member (schema, "minItems"))
    return fail (error, path, _("%u items, at least %" PRId64 " are needed"), n,
                 json_object_get_int_member (schema, "minItems"));
  if (json_object_has_member (schema, "maxItems") &&
      n > json_object_get_int_member (schema, "maxItems"))
    return fail (error, path, _("%u items, at most %" PRId64 " are allowed"), n,
                 json_object_get_int_member (schema, "maxItems"));
  if (!json_object_has_member (schema, "items"))
    return TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);

      if (!validate (json_object_get_object_member (schema, "items"),
                     json_array_get_element (array, i), item_path, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_object (JsonObject  *schema,
              JsonNode    *node,
              const char  *path,
              GError     **error)
{
  JsonObject *object = json_node_get_object (node);
  JsonObject *properties = json_object_has_member (schema, "properties")
                           ? json_object_get_object_member (schema, "properties") : NULL;
  JsonArray *required = json_object_has_member (schema, "required")
                        ? json_object_get_array_member (schema, "required") : NULL;
  gboolean closed = json_object_has_member (schema, "additionalProperties") &&
                    !json_object_get_boolean_member (schema, "additionalProperties");
  g_autoptr(GList) members = json_object_get_members (object);

  for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
    if (!json_object_has_member (object, json_array_get_string_element (required, i)))
      return fail (error, path, _("the required member “%s” is missing"),
                   json_array_get_string_element (required, i));

  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, (const char *) l->data);

      if (properties != NULL && json_object_has_member (properties, l->data))
        {
          if (!validate (json_object_get_object_member (properties, l->data),
                         json_object_get_member (object, l->data), member_path, error))
            return FALSE;
        }
      else if (closed)
        return fail (error, path, _("unknown member “%s”"), (const char *) l->data);
    }

  return TRUE;
}

/* "expected an object, got array": JSON Schema's type names stay as they are, the sentence
 * around them is translated. */
static char *
expected_text (const char *type,
               const char *kind)
{
  if (g_str_equal (type, "object"))
    return g_strdup_printf (_("expected an object, got %s"), kind);
  if (g_str_equal (type, "array"))
    return g_strdup_printf (_("expected an array, got %s"), kind);
  if (g_str_equal (type, "string"))
    return g_strdup_printf (_("expected a string, got %s"), kind);
  if (g_str_equal (type, "number"))
    return g_strdup_printf (_("expected a number, got %s"), kind);
  if (g_str_equal (type, "integer"))
    return g_strdup_printf (_("expected an integer, got %s"), kind);
  if (g_str_equal (type, "boolean"))
    return g_strdup_printf (_("expected a boolean, got %s"), kind);

  /* Translators: a JSON Schema type name, then the JSON type that was found */
  return g_strdup_printf (_("expected %s, got %s"), type, kind);
}

static gboolean
validate (JsonObject  *schema,
          JsonNode    *node,
          const char  *path,
          GError     **error)
{
  const char *type = json_object_get_string_member_with_default (schema, "type", NULL);

  if (type != NULL && !type_matches (type, node))
    {
      g_autofree char *text = expected_text (type, node_kind (node));

      return fail (error, path, "%s", text);
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    return check_object (schema, node, path, error);
  if (JSON_NODE_HOLDS_ARRAY (node))
    return check_array (schema, node, path, error);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return check_string (schema, node, path, error);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return check_number (schema, node, path, error);

  return TRUE;
}

/**
 * sextant_json_schema_validate:
 * @schema: a JSON Schema object (the supported subset, see the file's comment)
 * @instance: the value to check
 * @error: return location for %SEXTANT_AGENT_ERROR_INVALID_INPUT naming the member path
 *   (`input.symbols[2]`) and what is wrong with it
 *
 * Returns: %TRUE if @instance satisfies @schema
 */
gboolean
sextant_json_schema_validate (JsonNode  *schema,
                              JsonNode  *instance,
                              GError   **error)
{
  g_return_val_if_fail (schema != NULL && JSON_NODE_HOLDS_OBJECT (schema), FALSE);

  if (instance == NULL)
    return fail (error, "input", "no input was given");

  return validate (json_node_get_object (schema), instance, "input", error);
}
