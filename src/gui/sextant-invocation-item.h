#pragma once

#include <gio/gio.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/**
 * SextantInvocationColumn:
 *
 * The columns of the monitoring page's invocation table, in their order.
 */
typedef enum
{
  SEXTANT_INVOCATION_COLUMN_TIME,
  SEXTANT_INVOCATION_COLUMN_MODEL,
  SEXTANT_INVOCATION_COLUMN_REGION,
  SEXTANT_INVOCATION_COLUMN_ROLE,
  SEXTANT_INVOCATION_COLUMN_TTFT,
  SEXTANT_INVOCATION_COLUMN_LATENCY,
  SEXTANT_INVOCATION_COLUMN_INPUT_TOKENS,
  SEXTANT_INVOCATION_COLUMN_OUTPUT_TOKENS,
  SEXTANT_INVOCATION_COLUMN_TOOL_CALLS,
  SEXTANT_INVOCATION_COLUMN_RETRIES,
  SEXTANT_INVOCATION_COLUMN_OUTCOME,
  SEXTANT_INVOCATION_COLUMN_ERROR_TYPE,
  SEXTANT_INVOCATION_N_COLUMNS,
} SextantInvocationColumn;

#define SEXTANT_TYPE_INVOCATION_ITEM (sextant_invocation_item_get_type ())

G_DECLARE_FINAL_TYPE (SextantInvocationItem, sextant_invocation_item, SEXTANT, INVOCATION_ITEM, GObject)

SextantInvocationItem   *sextant_invocation_item_new            (SextantInvocation       *invocation);
const SextantInvocation *sextant_invocation_item_get_invocation (SextantInvocationItem   *self);
const char              *sextant_invocation_column_get_title    (SextantInvocationColumn  column);
gboolean                 sextant_invocation_column_is_numeric   (SextantInvocationColumn  column);
char                    *sextant_invocation_item_format         (SextantInvocationItem   *self,
                                                                 SextantInvocationColumn  column);

G_END_DECLS
