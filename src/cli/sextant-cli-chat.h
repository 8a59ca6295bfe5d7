#pragma once

#include "sextant-core.h"
#include "sextant-cli-common.h"

G_BEGIN_DECLS

/* The agent from the CLI: `ask --tools` / `--conversation` (sextant-cli-chat.c) and the
 * `conversations` command share these. */

SextantStore *sextant_cli_open_agent_store (GError               **error);
int           sextant_cli_ask_with_tools   (SextantBedrockClient  *client,
                                            const GError          *client_error,
                                            const char            *question,
                                            const char            *model,
                                            gint64                 conversation_id,
                                            SextantCliFormat       format);

G_END_DECLS
