#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "agent/sextant-tool-data.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_TOOL (sextant_tool_get_type ())

G_DECLARE_FINAL_TYPE (SextantTool, sextant_tool, SEXTANT, TOOL, GObject)

/**
 * SextantToolHandler:
 * @data: where prices and portfolios come from
 * @input: the validated input object
 * @cancellable: (nullable): checked by long computations
 * @error: return location; the message goes back to the model as a `status: error` result
 *
 * Runs one tool call. Handlers may run on a worker thread and touch nothing but @data.
 *
 * Returns: (transfer full): a compact JSON result, or %NULL with @error set
 */
typedef JsonNode *(*SextantToolHandler) (SextantToolData  *data,
                                         JsonObject       *input,
                                         GCancellable     *cancellable,
                                         GError          **error);

SextantTool *sextant_tool_new             (const char          *name,
                                           const char          *description,
                                           const char          *schema_json,
                                           SextantToolHandler   handler);
const char  *sextant_tool_get_name        (SextantTool         *self);
const char  *sextant_tool_get_description (SextantTool         *self);
JsonNode    *sextant_tool_get_schema      (SextantTool         *self);
gboolean     sextant_tool_validate        (SextantTool         *self,
                                           JsonNode            *input,
                                           GError             **error);
JsonNode    *sextant_tool_invoke          (SextantTool         *self,
                                           SextantToolData     *data,
                                           JsonNode            *input,
                                           GCancellable        *cancellable,
                                           GError             **error);

G_END_DECLS
