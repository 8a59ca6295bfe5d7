#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bedrock/sextant-converse-request.h"
#include "agent/sextant-tool.h"
#include "agent/sextant-tool-data.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_TOOL_REGISTRY (sextant_tool_registry_get_type ())

G_DECLARE_FINAL_TYPE (SextantToolRegistry, sextant_tool_registry, SEXTANT, TOOL_REGISTRY, GObject)

SextantToolRegistry *sextant_tool_registry_new            (SextantToolData      *data);
SextantToolRegistry *sextant_tool_registry_new_default    (SextantToolData      *data);
SextantToolData     *sextant_tool_registry_get_data       (SextantToolRegistry  *self);
void                 sextant_tool_registry_add            (SextantToolRegistry  *self,
                                                           SextantTool          *tool);
guint                sextant_tool_registry_get_n_tools    (SextantToolRegistry  *self);
SextantTool         *sextant_tool_registry_get_tool       (SextantToolRegistry  *self,
                                                           guint                 index);
SextantTool         *sextant_tool_registry_lookup         (SextantToolRegistry  *self,
                                                           const char           *name);
void                 sextant_tool_registry_add_to_request (SextantToolRegistry  *self,
                                                           SextantConverseRequest *request);
JsonNode            *sextant_tool_registry_invoke         (SextantToolRegistry  *self,
                                                           const char           *name,
                                                           JsonNode             *input,
                                                           GCancellable         *cancellable,
                                                           GError              **error);
void                 sextant_tool_registry_invoke_async   (SextantToolRegistry  *self,
                                                           const char           *name,
                                                           JsonNode             *input,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
JsonNode            *sextant_tool_registry_invoke_finish  (SextantToolRegistry  *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
