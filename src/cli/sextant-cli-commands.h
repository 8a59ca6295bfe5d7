#pragma once

/* One entry point per subcommand; argv[0] is the subcommand's name. */

G_BEGIN_DECLS

/* Foundation */
/* Analytics */
/* Bedrock */
/* Market data */

G_END_DECLS
