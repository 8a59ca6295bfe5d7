#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void sextant_json_add_double (JsonBuilder *builder,
                              const char  *name,
                              double       value);

G_END_DECLS
