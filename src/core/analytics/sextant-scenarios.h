#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SextantScenarioFlags:
 * @SEXTANT_SCENARIO_KEEP_TERMINAL: keep every path's terminal prices
 * @SEXTANT_SCENARIO_KEEP_PATHS: keep whole paths (n_paths × (n_steps + 1) × n_assets doubles;
 *   refused above %SEXTANT_SCENARIO_MAX_STORED values)
 *
 * Without flags only the per-asset moments of the terminal log-prices are returned, which is
 * what a very large run (the benchmark's 1,000,000 paths × 50 assets) can afford.
 */
typedef enum
{
  SEXTANT_SCENARIO_KEEP_TERMINAL = 1 << 0,
  SEXTANT_SCENARIO_KEEP_PATHS    = 1 << 1,
} SextantScenarioFlags;

#define SEXTANT_SCENARIO_MAX_STORED (64u * 1024u * 1024u)

/**
 * SEXTANT_SCENARIO_BLOCK_PATHS:
 *
 * Paths are drawn in blocks of this many, each block from its own stream seeded from (seed,
 * block index): a slice of a run that starts at a multiple of it (see @first_path of the specs)
 * has exactly the paths the whole run has there.
 */
#define SEXTANT_SCENARIO_BLOCK_PATHS 256u

/**
 * SextantScenarioProgress:
 * @fraction: the share of paths done, 0 … 1
 * @user_data: the closure
 *
 * Called on the thread that started the simulation.
 */
typedef void (*SextantScenarioProgress) (double   fraction,
                                         gpointer user_data);

/**
 * SextantGbmSpec:
 * @n_assets: number of assets
 * @s0: (array length=n_assets): starting prices
 * @drift: (array length=n_assets): arithmetic drift μ per unit of time (E[S_t] = S₀ e^{μt})
 * @covariance: (array): n_assets × n_assets covariance of log returns per unit of time,
 *   row-major
 * @dt: the length of one step in units of time (1/252 for daily steps on annual figures)
 * @n_steps: steps per path
 * @n_paths: paths
 * @seed: the seed; the same seed gives the same paths whatever @n_threads is
 * @n_threads: worker threads, 0 for one per processor
 * @first_path: 0, or for one shard of a larger run the index of its first path in that run, a
 *   multiple of %SEXTANT_SCENARIO_BLOCK_PATHS; @n_paths are then that run's paths @first_path …
 *   @first_path + @n_paths − 1, bit for bit, provided the slice ends at a multiple of
 *   %SEXTANT_SCENARIO_BLOCK_PATHS or where the run ends (sextant_scenarios_shard_range())
 */
typedef struct
{
  guint          n_assets;
  const double  *s0;
  const double  *drift;
  const double  *covariance;
  double         dt;
  guint          n_steps;
  guint          n_paths;
  guint64        seed;
  guint          n_threads;
  guint          first_path;
} SextantGbmSpec;

/**
 * SextantHestonSpec:
 * @s0: starting price
 * @v0: starting variance
 * @rate: drift r (E[S_t] = S₀ e^{rt})
 * @kappa: mean-reversion speed of the variance
 * @theta: long-run variance
 * @xi: volatility of the variance
 * @rho: correlation of the price and variance shocks, −1 … 1
 * @dt: step length
 * @n_steps: steps per path
 * @n_paths: paths
 * @seed: the seed (results do not depend on @n_threads)
 * @n_threads: worker threads, 0 for one per processor
 * @first_path: as for #SextantGbmSpec
 */
typedef struct
{
  double   s0;
  double   v0;
  double   rate;
  double   kappa;
  double   theta;
  double   xi;
  double   rho;
  double   dt;
  guint    n_steps;
  guint    n_paths;
  guint64  seed;
  guint    n_threads;
  guint    first_path;
} SextantHestonSpec;

/**
 * SextantScenarioResult:
 * @n_paths: paths simulated
 * @n_steps: steps per path
 * @n_assets: assets per path (1 for Heston)
 * @terminal: path-major terminal prices (`terminal[p * n_assets + a]`), or %NULL
 * @paths: prices, `paths[(p * (n_steps + 1) + t) * n_assets + a]`, or %NULL
 * @variance: Heston only, with @paths: the truncated variance max (v_t, 0) at each time, the
 *   value the next step uses, `variance[p * (n_steps + 1) + t]`
 * @log_mean: (array length=n_assets): mean of ln S_T over the paths
 * @log_variance: (array length=n_assets): sample variance of ln S_T
 * @n_truncated: Heston only: how many steps had a negative variance that was truncated to 0
 * @n_normals: how many standard normal draws were made
 * @kernel: GBM only: the step kernel that ran, "avx2" or "sse2" (a static string); %NULL for
 *   Heston
 */
typedef struct
{
  guint        n_paths;
  guint        n_steps;
  guint        n_assets;
  double      *terminal;
  double      *paths;
  double      *variance;
  double      *log_mean;
  double      *log_variance;
  guint64      n_truncated;
  guint64      n_normals;
  const char  *kernel;
} SextantScenarioResult;

SextantScenarioResult *sextant_scenarios_gbm         (const SextantGbmSpec     *spec,
                                                      SextantScenarioFlags      flags,
                                                      GCancellable             *cancellable,
                                                      SextantScenarioProgress   progress,
                                                      gpointer                  user_data,
                                                      GError                  **error);
SextantScenarioResult *sextant_scenarios_heston      (const SextantHestonSpec  *spec,
                                                      SextantScenarioFlags      flags,
                                                      GCancellable             *cancellable,
                                                      SextantScenarioProgress   progress,
                                                      gpointer                  user_data,
                                                      GError                  **error);
gboolean               sextant_scenarios_shard_range (guint                     n_paths,
                                                      guint                     index,
                                                      guint                     count,
                                                      guint                    *first_path,
                                                      guint                    *shard_paths,
                                                      GError                  **error);
void                   sextant_scenario_result_free  (SextantScenarioResult    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantScenarioResult, sextant_scenario_result_free)

G_END_DECLS
