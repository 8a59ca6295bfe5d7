#pragma once

#include <json-glib/json-glib.h>

#include "bedrock/sextant-converse-message.h"

G_BEGIN_DECLS

/**
 * SextantToolChoice:
 * @SEXTANT_TOOL_CHOICE_DEFAULT: send no toolChoice (the model decides)
 * @SEXTANT_TOOL_CHOICE_AUTO: `{"auto":{}}`
 * @SEXTANT_TOOL_CHOICE_ANY: `{"any":{}}`: some tool must be called
 * @SEXTANT_TOOL_CHOICE_TOOL: `{"tool":{"name":…}}`: that tool must be called
 */
typedef enum
{
  SEXTANT_TOOL_CHOICE_DEFAULT,
  SEXTANT_TOOL_CHOICE_AUTO,
  SEXTANT_TOOL_CHOICE_ANY,
  SEXTANT_TOOL_CHOICE_TOOL,
} SextantToolChoice;

typedef struct _SextantConverseRequest SextantConverseRequest;

#define SEXTANT_TYPE_CONVERSE_REQUEST (sextant_converse_request_get_type ())

GType                   sextant_converse_request_get_type       (void) G_GNUC_CONST;
SextantConverseRequest *sextant_converse_request_new            (void);
SextantConverseRequest *sextant_converse_request_ref            (SextantConverseRequest *self);
void                    sextant_converse_request_unref          (SextantConverseRequest *self);
void                    sextant_converse_request_set_system     (SextantConverseRequest *self,
                                                                 const char             *system);
void                    sextant_converse_request_add_message    (SextantConverseRequest *self,
                                                                 SextantConverseMessage *message);
void                    sextant_converse_request_add_user_text  (SextantConverseRequest *self,
                                                                 const char             *text);
guint                   sextant_converse_request_get_n_messages (SextantConverseRequest *self);
void                    sextant_converse_request_set_max_tokens (SextantConverseRequest *self,
                                                                 int                     max_tokens);
void                    sextant_converse_request_set_temperature (SextantConverseRequest *self,
                                                                  double                  temperature);
void                    sextant_converse_request_set_top_p      (SextantConverseRequest *self,
                                                                 double                  top_p);
void                    sextant_converse_request_add_stop_sequence (SextantConverseRequest *self,
                                                                    const char           *stop);
void                    sextant_converse_request_add_tool       (SextantConverseRequest *self,
                                                                 const char             *name,
                                                                 const char             *description,
                                                                 JsonNode               *input_schema);
void                    sextant_converse_request_set_tool_choice (SextantConverseRequest *self,
                                                                  SextantToolChoice      choice,
                                                                  const char            *tool_name);
guint                   sextant_converse_request_add_cache_points (SextantConverseRequest *self,
                                                                   const char             *model_id);
int                     sextant_converse_request_get_cache_points (SextantConverseRequest *self,
                                                                   gboolean               *after_tools,
                                                                   gboolean               *after_system);
JsonNode               *sextant_converse_request_to_json        (SextantConverseRequest *self);
GBytes                 *sextant_converse_request_to_bytes       (SextantConverseRequest *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantConverseRequest, sextant_converse_request_unref)

G_END_DECLS
