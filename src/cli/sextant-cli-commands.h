#pragma once

#include <glib.h>

/* One entry point per subcommand; argv[0] is the subcommand's name. */

G_BEGIN_DECLS

/* Foundation */
int sextant_cli_info_main    (int argc, char **argv);
int sextant_cli_secrets_main (int argc, char **argv);
/* Analytics */
int sextant_cli_indicators_main (int argc, char **argv);
int sextant_cli_forecast_main   (int argc, char **argv);
int sextant_cli_scenarios_main  (int argc, char **argv);
int sextant_cli_merge_main      (int argc, char **argv);
int sextant_cli_jobs_main       (int argc, char **argv);
int sextant_cli_risk_main     (int argc, char **argv);
int sextant_cli_optimize_main (int argc, char **argv);
int sextant_cli_frontier_main (int argc, char **argv);
int sextant_cli_backtest_main (int argc, char **argv);
/* Bedrock */
int sextant_cli_ask_main    (int argc, char **argv);
int sextant_cli_models_main (int argc, char **argv);
/* Market data */
int sextant_cli_quote_main     (int argc, char **argv);
int sextant_cli_history_main   (int argc, char **argv);
int sextant_cli_import_main    (int argc, char **argv);
int sextant_cli_portfolio_main (int argc, char **argv);
int sextant_cli_fx_main        (int argc, char **argv);
/* Rates (issue 17) */
int sextant_cli_bond_main  (int argc, char **argv);
int sextant_cli_curve_main (int argc, char **argv);
int sextant_cli_shock_main (int argc, char **argv);
int sextant_cli_fred_main  (int argc, char **argv);
/* Agent */
int sextant_cli_conversations_main (int argc, char **argv);
int sextant_cli_usage_main (int argc, char **argv);
/* Privacy and continuity */
int sextant_cli_backup_main  (int argc, char **argv);
int sextant_cli_restore_main (int argc, char **argv);
int sextant_cli_export_main  (int argc, char **argv);
/* Knowledge base */
int sextant_cli_kb_main (int argc, char **argv);

G_END_DECLS
