#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean sextant_json_schema_validate (JsonNode    *schema,
                                       JsonNode    *instance,
                                       GError     **error);

G_END_DECLS
