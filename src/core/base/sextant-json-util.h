#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void sextant_json_add_double  (JsonBuilder *builder,
                               const char  *name,
                               double       value);
void sextant_json_add_string  (JsonBuilder *builder,
                               const char  *name,
                               const char  *value);
void sextant_json_add_int     (JsonBuilder *builder,
                               const char  *name,
                               gint64       value);
void sextant_json_add_boolean (JsonBuilder *builder,
                               const char  *name,
                               gboolean     value);

G_END_DECLS
