#define G_LOG_DOMAIN "sextant-scenarios"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-covariance.h"
#include "analytics/sextant-scenarios.h"
#include "analytics/sextant-work-size.h"

/*
 * Reproducibility whatever the thread count: paths are cut into fixed blocks of BLOCK_PATHS, each
 * block draws from its own generator seeded from (seed, block index), and the per-block sums are
 * combined in block order at the end. Threads only decide who computes a block, never what it
 * contains.
 */
#define BLOCK_PATHS SEXTANT_SCENARIO_BLOCK_PATHS

/* ----- the generator ------------------------------------------------------------------------ */

/*
 * Why our own generator rather than GSL's gsl_ran_gaussian_ziggurat with gsl_rng_mt19937: GSL's
 * sampler reaches its generator through two function pointers per draw, which caps it near
 * 140 M normals/s on this machine kind, while the 50-asset benchmark needs ≥ 100 M/s for the draws
 * *and* the Cholesky product; and mt19937 takes a 32-bit seed, so thousands of per-block seeds
 * could collide. We use xoshiro256+ (Blackman & Vigna, 2018), seeded through splitmix64 as its
 * authors recommend, and Doornik's improved ziggurat (J. A. Doornik, "An Improved Ziggurat Method
 * to Generate Normal Random Samples", 2005): 128 layers, the layer index and the uniform taken from
 * disjoint bits of one 64-bit draw (the flaw of Marsaglia & Tsang's original was to share them).
 * Both are inlined here. Tests check moments, tails (CDF at ±1, ±2, ±3) and correlations.
 */
typedef struct
{
  guint64 s[4];
} Xoshiro;

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static void
xoshiro_seed (Xoshiro *x,
              guint64  seed)
{
  for (guint i = 0; i < 4; i++)
    x->s[i] = splitmix64 (&seed);
}

static inline guint64
xoshiro_next (Xoshiro *x)
{
  guint64 result = x->s[0] + x->s[3];
  guint64 t = x->s[1] << 17;

  x->s[2] ^= x->s[0];
  x->s[3] ^= x->s[1];
  x->s[1] ^= x->s[2];
  x->s[0] ^= x->s[3];
  x->s[2] ^= t;
  x->s[3] = rotl (x->s[3], 45);

  return result;
}

/* uniform on (0, 1), never 0, from the top 53 bits (xoshiro256+'s weakest bits are the lowest).
 * The casts to a signed integer matter: x86-64 converts signed 64-bit integers to double in one
 * instruction but unsigned ones through a branch. */
static inline double
uniform_open (Xoshiro *x)
{
  return ((double) (gint64) (xoshiro_next (x) >> 11) + 0.5) * 0x1.0p-53;
}

#define ZIG_LAYERS 128
#define ZIG_R      3.442619855899
#define ZIG_V      9.91256303526217e-3

static double zig_x[ZIG_LAYERS + 1];
static double zig_ratio[ZIG_LAYERS];

static void
zig_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      double f = exp (-0.5 * ZIG_R * ZIG_R);

      zig_x[0] = ZIG_V / f;   /* the base layer, including the tail, as a rectangle */
      zig_x[1] = ZIG_R;
      zig_x[ZIG_LAYERS] = 0.0;
      for (guint i = 2; i < ZIG_LAYERS; i++)
        {
          zig_x[i] = sqrt (-2.0 * log (ZIG_V / zig_x[i - 1] + f));
          f = exp (-0.5 * zig_x[i] * zig_x[i]);
        }
      for (guint i = 0; i < ZIG_LAYERS; i++)
        zig_ratio[i] = zig_x[i + 1] / zig_x[i];
      g_once_init_leave (&done, 1);
    }
}

/* Marsaglia's tail method beyond ZIG_R */
static double
normal_tail (Xoshiro  *rng,
             gboolean  negative)
{
  double x, y;

  do
    {
      x = log (uniform_open (rng)) / ZIG_R;
      y = log (uniform_open (rng));
    }
  while (-2.0 * y < x * x);

  return negative ? x - ZIG_R : ZIG_R - x;
}

static inline double
normal (Xoshiro *rng)
{
  for (;;)
    {
      guint64 bits = xoshiro_next (rng);
      guint i = (bits >> 4) & (ZIG_LAYERS - 1);    /* 7 bits below the 53 of the uniform */
      double u = (double) (gint64) (bits >> 11) * 0x1.0p-52 - 1.0;
      double x, f0, f1;

      if (fabs (u) < zig_ratio[i])
        return u * zig_x[i];   /* inside the layer's rectangle: ~99 % of draws */
      if (i == 0)
        return normal_tail (rng, u < 0);
      x = u * zig_x[i];
      f0 = exp (-0.5 * (zig_x[i] * zig_x[i] - x * x));
      f1 = exp (-0.5 * (zig_x[i + 1] * zig_x[i + 1] - x * x));
      if (f1 + uniform_open (rng) * (f0 - f1) < 1.0)
        return x;
    }
}

static guint64
block_seed (guint64 seed,
            guint   block)
{
  guint64 state = seed ^ (G_GUINT64_CONSTANT (0xD1B54A32D192ED03) * (block + 1));

  return splitmix64 (&state);
}

/* ----- the parallel driver ------------------------------------------------------------------ */

typedef struct _Run Run;
typedef void (*StepFunc) (const double *drift,
                          const double *lower,
                          guint         m,
                          const double *eps,
                          double       *x);
typedef void (*BlockFunc) (Run     *run,
                           guint    block,
                           Xoshiro *rng,
                           double  *scratch);

struct _Run
{
  guint                  n_blocks;
  guint                  n_assets;
  guint64                seed;
  guint                  first_block;   /* in the whole run, for a shard */
  int                    next_block;
  int                    done_blocks;
  GCancellable          *cancellable;
  BlockFunc              func;
  gsize                  scratch_size;
  SextantScenarioResult *result;
  double                *block_sum;     /* n_blocks × n_assets, Σ ln (S_T / S₀) */
  double                *block_sum2;    /* Σ ln (S_T / S₀)² */
  guint64               *block_truncated;
  /* model constants */
  const SextantGbmSpec    *gbm;
  const SextantHestonSpec *heston;
  double                  *lower_sdt;   /* Cholesky factor times √dt, column-major */
  double                  *drift_dt;    /* (μ − σ²/2) dt */
  StepFunc                 step;
};

static void
run_blocks (Run                     *run,
            SextantScenarioProgress  progress,
            gpointer                 user_data)
{
  Xoshiro rng;
  /* aligned for the vectors of gbm_block */
  double *scratch = g_aligned_alloc0 (run->scratch_size, sizeof (double), 64);

  for (;;)
    {
      guint block = (guint) g_atomic_int_add (&run->next_block, 1);
      int done;

      if (block >= run->n_blocks || g_cancellable_is_cancelled (run->cancellable))
        break;
      xoshiro_seed (&rng, block_seed (run->seed, run->first_block + block));
      run->func (run, block, &rng, scratch);
      done = g_atomic_int_add (&run->done_blocks, 1) + 1;
      if (progress != NULL)
        progress ((double) done / run->n_blocks, user_data);
    }

  g_aligned_free (scratch);
}

static gpointer
worker_thread (gpointer data)
{
  run_blocks (data, NULL, NULL);
  return NULL;
}

static void
finish_moments (Run *run)
{
  SextantScenarioResult *r = run->result;
  double n = r->n_paths;

  for (guint a = 0; a < run->n_assets; a++)
    {
      double sum = 0, sum2 = 0;
      double ln_s0 = run->gbm != NULL ? log (run->gbm->s0[a]) : log (run->heston->s0);

      for (guint b = 0; b < run->n_blocks; b++)
        {
          sum += run->block_sum[b * run->n_assets + a];
          sum2 += run->block_sum2[b * run->n_assets + a];
        }
      r->log_mean[a] = ln_s0 + sum / n;
      r->log_variance[a] = n > 1 ? MAX (0.0, (sum2 - sum * sum / n) / (n - 1)) : 0.0;
    }
  for (guint b = 0; b < run->n_blocks; b++)
    r->n_truncated += run->block_truncated[b];
}

/* Runs every block on @n_threads threads (the calling one included, which reports progress). */
static gboolean
run_parallel (Run                      *run,
              guint                     n_threads,
              SextantScenarioProgress   progress,
              gpointer                  user_data,
              GError                  **error)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  run->n_blocks = (run->result->n_paths + BLOCK_PATHS - 1) / BLOCK_PATHS;
  run->block_sum = g_new0 (double, (gsize) run->n_blocks * run->n_assets);
  run->block_sum2 = g_new0 (double, (gsize) run->n_blocks * run->n_assets);
  run->block_truncated = g_new0 (guint64, run->n_blocks);
  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, MAX (run->n_blocks, 1));

  for (guint i = 1; i < n_threads; i++)
    g_ptr_array_add (threads, g_thread_new ("sextant-scenarios", worker_thread, run));
  run_blocks (run, progress, user_data);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_CANCELLED,
                   "The simulation was cancelled after %d of %u blocks of paths",
                   g_atomic_int_get (&run->done_blocks), run->n_blocks);
      return FALSE;
    }

  /* the calling thread may have finished its last block before the others did */
  if (progress != NULL)
    progress (1.0, user_data);
  finish_moments (run);
  return TRUE;
}

static void
run_clear (Run *run)
{
  g_free (run->block_sum);
  g_free (run->block_sum2);
  g_free (run->block_truncated);
  g_free (run->lower_sdt);
  g_free (run->drift_dt);
}

static SextantScenarioResult *
result_new (guint                 n_paths,
            guint                 n_steps,
            guint                 n_assets,
            SextantScenarioFlags  flags,
            gboolean              variance)
{
  SextantScenarioResult *r = g_new0 (SextantScenarioResult, 1);

  r->n_paths = n_paths;
  r->n_steps = n_steps;
  r->n_assets = n_assets;
  r->log_mean = g_new0 (double, n_assets);
  r->log_variance = g_new0 (double, n_assets);
  if (flags & SEXTANT_SCENARIO_KEEP_TERMINAL)
    r->terminal = g_new (double, (gsize) n_paths * n_assets);
  if (flags & SEXTANT_SCENARIO_KEEP_PATHS)
    {
      r->paths = g_new (double, (gsize) n_paths * (n_steps + 1) * n_assets);
      if (variance)
        r->variance = g_new (double, (gsize) n_paths * (n_steps + 1));
    }
  r->n_normals = (guint64) n_paths * n_steps * (variance ? 2 : n_assets);

  return r;
}

/**
 * sextant_scenarios_shard_range:
 * @n_paths: the paths of the whole run
 * @index: the shard, 0 … @count − 1
 * @count: how many shards the run is cut into
 * @first_path: (out): the shard's first path in the run
 * @shard_paths: (out): its number of paths, 0 when there are more shards than blocks of paths
 * @error: return location for an error
 *
 * Cuts a run into @count contiguous slices of whole blocks of paths, as evenly as blocks allow.
 * Run with @first_path set, each slice has the paths of the whole run, so the slices' terminal
 * prices put together are the one-process run's, whatever @count is.
 *
 * Returns: %FALSE when @index is not below @count
 */
gboolean
sextant_scenarios_shard_range (guint    n_paths,
                               guint    index,
                               guint    count,
                               guint   *first_path,
                               guint   *shard_paths,
                               GError **error)
{
  guint64 n_blocks = ((guint64) n_paths + BLOCK_PATHS - 1) / BLOCK_PATHS;
  guint64 first_block, end_block;

  g_return_val_if_fail (first_path != NULL && shard_paths != NULL, FALSE);

  if (count == 0 || index >= count)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "Shard %u/%u does not exist: shards are numbered from 0 to one less than "
                   "their count", index, count);
      return FALSE;
    }
  first_block = n_blocks * index / count;
  end_block = n_blocks * (index + 1) / count;
  *first_path = (guint) MIN (first_block * BLOCK_PATHS, n_paths);
  *shard_paths = (guint) MIN (end_block * BLOCK_PATHS, n_paths) - *first_path;
  return TRUE;
}

/**
 * sextant_scenario_result_free:
 * @self: (transfer full) (nullable): a result
 */
void
sextant_scenario_result_free (SextantScenarioResult *self)
{
  if (self == NULL)
    return;

  g_free (self->terminal);
  g_free (self->paths);
  g_free (self->variance);
  g_free (self->log_mean);
  g_free (self->log_variance);
  g_free (self);
}

static gboolean
check_size (guint                  n_paths,
            guint                  n_steps,
            guint                  n_assets,
            double                 dt,
            SextantScenarioFlags   flags,
            gboolean               heston,
            guint                  first_path,
            GError               **error)
{
  double kept, draws;

  if (n_paths == 0 || n_steps == 0 || n_assets == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "Scenarios need at least one path, one step and one asset (got %u, %u, %u)",
                   n_paths, n_steps, n_assets);
      return FALSE;
    }
  if (!isfinite (dt) || dt <= 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "The time step must be positive, not %g", dt);
      return FALSE;
    }
  if ((flags & SEXTANT_SCENARIO_KEEP_PATHS) &&
      (double) n_paths * (n_steps + 1.0) * n_assets > SEXTANT_SCENARIO_MAX_STORED)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "Keeping %u paths × %u steps × %u assets would take more than %u values; "
                   "keep terminal prices only", n_paths, n_steps, n_assets,
                   SEXTANT_SCENARIO_MAX_STORED);
      return FALSE;
    }
  kept = 0;
  if (first_path % BLOCK_PATHS != 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "A shard's first path must be a multiple of %u, not %u", BLOCK_PATHS,
                   first_path);
      return FALSE;
    }
  if (flags & SEXTANT_SCENARIO_KEEP_TERMINAL)
    kept += (double) n_paths * n_assets;
  if (flags & SEXTANT_SCENARIO_KEEP_PATHS)
    kept += (double) n_paths * (n_steps + 1.0) * (n_assets + (heston ? 1 : 0));
  /* Heston draws two normals a step: the price's and the variance's */
  draws = (double) n_paths * n_steps * n_assets * (heston ? 2 : 1);

  return sextant_work_size_check (heston ? _("Heston scenarios") : _("GBM scenarios"), kept, draws,
                                  error);
}

/* ----- Cholesky ------------------------------------------------------------------------------ */

/* ----- correlated GBM ----------------------------------------------------------------------- */

/*
 * Exact GBM steps in log space: ln S += (μ − σ²/2) dt + √dt · L ε, ε ~ N(0, I), so the
 * increments have covariance Σ dt whatever dt is (no discretisation error).
 */
/*
 * GROUP paths go side by side (x[i * GROUP + lane], ε likewise) so that each element of L, loaded
 * once, updates four paths: plain loops over a triangle are not auto-vectorised at -O2, so the
 * kernels use GCC/Clang vector extensions, two SSE2 vectors on any x86-64 and one AVX2 vector
 * where the processor has it. Both do the same IEEE multiplications and additions in the same
 * order (no FMA), so the results are bit-identical whichever kernel runs.
 */
#define GROUP 4
typedef double v2df __attribute__ ((vector_size (16)));
typedef double v4df __attribute__ ((vector_size (32)));

/* x += drift + L ε, column by column (an axpy per column: no reduction to reorder) */
static void
gbm_step_sse2 (const double *drift,
               const double *lower,
               guint         m,
               const double *eps,
               double       *x)
{
  v2df *xv = (v2df *) x;
  const v2df *ev = (const v2df *) eps;

  for (guint i = 0; i < m; i++)
    {
      xv[2 * i] += drift[i];
      xv[2 * i + 1] += drift[i];
    }
  for (guint j = 0; j < m; j++)
    {
      const double *col = lower + (gsize) j * m;
      const v2df e0 = ev[2 * j], e1 = ev[2 * j + 1];

      for (guint i = j; i < m; i++)
        {
          xv[2 * i] += col[i] * e0;
          xv[2 * i + 1] += col[i] * e1;
        }
    }
}

#if (defined (__GNUC__) || defined (__clang__)) && (defined (__x86_64__) || defined (__i386__))
#define HAVE_AVX2_KERNEL 1
__attribute__ ((target ("avx2"))) static void
gbm_step_avx2 (const double *drift,
               const double *lower,
               guint         m,
               const double *eps,
               double       *x)
{
  v4df *xv = (v4df *) x;
  const v4df *ev = (const v4df *) eps;

  for (guint i = 0; i < m; i++)
    xv[i] += drift[i];
  for (guint j = 0; j < m; j++)
    {
      const double *col = lower + (gsize) j * m;
      const v4df e = ev[j];

      for (guint i = j; i < m; i++)
        xv[i] += col[i] * e;
    }
}
#endif

/* SEXTANT_SCENARIOS_NO_AVX2 forces the SSE2 kernel, so tests can check both give the same bits;
 * @kernel names the one chosen, so that they can also tell when only one of them can run. */
static StepFunc
choose_step (const char **kernel)
{
#ifdef HAVE_AVX2_KERNEL
  if (__builtin_cpu_supports ("avx2") && g_getenv ("SEXTANT_SCENARIOS_NO_AVX2") == NULL)
    {
      *kernel = "avx2";
      return gbm_step_avx2;
    }
#endif
  *kernel = "sse2";
  return gbm_step_sse2;
}

static void
gbm_record (const Run    *run,
            guint         block,
            guint         p,
            guint         t,
            const double *x,
            guint         lane,
            gboolean      done)
{
  const SextantGbmSpec *spec = run->gbm;
  SextantScenarioResult *r = run->result;
  const guint m = spec->n_assets;
  double *sum = run->block_sum + (gsize) block * m, *sum2 = run->block_sum2 + (gsize) block * m;

  if (r->paths != NULL)
    for (guint a = 0; a < m; a++)
      r->paths[((gsize) p * (spec->n_steps + 1) + t) * m + a] =
        spec->s0[a] * exp (x[a * GROUP + lane]);
  if (!done)
    return;
  for (guint a = 0; a < m; a++)
    {
      double v = x[a * GROUP + lane];

      sum[a] += v;
      sum2[a] += v * v;
      if (r->terminal != NULL)
        r->terminal[(gsize) p * m + a] = spec->s0[a] * exp (v);
    }
}

/*
 * Paths go in groups of GROUP (p, p + 1, …); at each step the first path's m normals are drawn,
 * then the second's, and so on. Lanes past the last path of the run get draws that are thrown
 * away, so the stream, and therefore the result, depends only on the seed and the block.
 */
static void
gbm_block (Run     *run,
           guint    block,
           Xoshiro *rng,
           double  *scratch)
{
  const SextantGbmSpec *spec = run->gbm;
  const guint m = spec->n_assets, steps = spec->n_steps;
  const guint first = block * BLOCK_PATHS, last = MIN (first + BLOCK_PATHS, spec->n_paths);
  double *eps = scratch, *x = scratch + (gsize) GROUP * m;

  for (guint p = first; p < last; p += GROUP)
    {
      guint lanes = MIN (GROUP, last - p);

      memset (x, 0, sizeof (double) * GROUP * m);
      for (guint lane = 0; lane < lanes; lane++)
        gbm_record (run, block, p + lane, 0, x, lane, FALSE);
      for (guint t = 1; t <= steps; t++)
        {
          for (guint lane = 0; lane < GROUP; lane++)
            for (guint a = 0; a < m; a++)
              eps[a * GROUP + lane] = normal (rng);
          run->step (run->drift_dt, run->lower_sdt, m, eps, x);
          for (guint lane = 0; lane < lanes; lane++)
            gbm_record (run, block, p + lane, t, x, lane, t == steps);
        }
    }
}

static void
transpose_scale (double *a,
                 guint   m,
                 double  scale)
{
  for (guint i = 0; i < m; i++)
    {
      a[i * m + i] *= scale;
      for (guint j = 0; j < i; j++)
        {
          double t = a[i * m + j];

          a[i * m + j] = a[j * m + i] * scale;
          a[j * m + i] = t * scale;
        }
    }
}

static gboolean
check_gbm (const SextantGbmSpec  *spec,
           GError               **error)
{
  for (guint a = 0; a < spec->n_assets; a++)
    {
      if (!isfinite (spec->s0[a]) || spec->s0[a] <= 0)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE,
                       "The starting price of asset %u is %g; it must be positive", a + 1,
                       spec->s0[a]);
          return FALSE;
        }
      if (!isfinite (spec->drift[a]))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                       "The drift of asset %u is not a finite number", a + 1);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * sextant_scenarios_gbm:
 * @spec: the model and the size of the run
 * @flags: what to keep besides the moments of ln S_T
 * @cancellable: (nullable): checked before every block of paths
 * @progress: (nullable) (scope call): called on the calling thread as blocks complete
 * @user_data: for @progress
 * @error: return location for an error (%SEXTANT_ANALYTICS_ERROR_SINGULAR for a covariance
 *   that is not positive definite, %SEXTANT_ANALYTICS_ERROR_CANCELLED, …)
 *
 * Simulates correlated geometric Brownian motions, exactly in log space, in parallel. The same
 * seed gives bit-identical results for any thread count.
 *
 * Returns: (transfer full): the result, or %NULL
 */
SextantScenarioResult *
sextant_scenarios_gbm (const SextantGbmSpec     *spec,
                       SextantScenarioFlags      flags,
                       GCancellable             *cancellable,
                       SextantScenarioProgress   progress,
                       gpointer                  user_data,
                       GError                  **error)
{
  g_autoptr(SextantScenarioResult) result = NULL;
  Run run = { 0 };
  guint m;
  double sdt;
  gboolean ok;

  g_return_val_if_fail (spec != NULL, NULL);

  m = spec->n_assets;
  if (!check_size (spec->n_paths, spec->n_steps, m, spec->dt, flags, FALSE, spec->first_path,
                   error) ||
      !check_gbm (spec, error))
    return NULL;

  run.lower_sdt = g_new (double, (gsize) m * m);
  if (!sextant_cholesky (spec->covariance, m, run.lower_sdt, error))
    {
      run_clear (&run);
      return NULL;
    }
  /* stored transposed (column j of L at lower_sdt + j·m) for gbm_block's column sweep */
  sdt = sqrt (spec->dt);
  transpose_scale (run.lower_sdt, m, sdt);
  run.drift_dt = g_new (double, m);
  for (guint a = 0; a < m; a++)
    run.drift_dt[a] = (spec->drift[a] - 0.5 * spec->covariance[a * m + a]) * spec->dt;

  result = result_new (spec->n_paths, spec->n_steps, m, flags, FALSE);
  run.n_assets = m;
  run.seed = spec->seed;
  run.first_block = spec->first_path / BLOCK_PATHS;
  run.cancellable = cancellable;
  run.func = gbm_block;
  run.scratch_size = 2 * GROUP * (gsize) m;   /* ε and x of a group of paths */
  run.step = choose_step (&result->kernel);
  run.result = result;
  run.gbm = spec;

  zig_init ();
  ok = run_parallel (&run, spec->n_threads, progress, user_data, error);
  run_clear (&run);

  return ok ? g_steal_pointer (&result) : NULL;
}

/* ----- Heston ------------------------------------------------------------------------------- */

/*
 * Full-truncation Euler (Lord, Koekkoek & van Dijk, 2010): the variance process may go below 0,
 * but only v⁺ = max (v, 0) enters the drift and the diffusion of both equations. The price step
 * is taken in log space, ln S += (r − v⁺/2) dt + √(v⁺ dt) Z₁, so E[S_{t+dt} | F_t] = S_t e^{r dt}
 * exactly and E[S_T] = S₀ e^{rT}.
 */
static void
heston_block (Run     *run,
              guint    block,
              Xoshiro *rng,
              double  *scratch)
{
  const SextantHestonSpec *h = run->heston;
  SextantScenarioResult *r = run->result;
  const guint steps = h->n_steps;
  const guint first = block * BLOCK_PATHS, last = MIN (first + BLOCK_PATHS, h->n_paths);
  const double rho_bar = sqrt (1.0 - h->rho * h->rho), dt = h->dt;
  guint64 truncated = 0;

  for (guint p = first; p < last; p++)
    {
      double *row = r->paths != NULL ? r->paths + (gsize) p * (steps + 1) : NULL;
      double *var_row = r->variance != NULL ? r->variance + (gsize) p * (steps + 1) : NULL;
      double x = 0.0, v = h->v0;

      if (row != NULL)
        {
          row[0] = h->s0;
          var_row[0] = MAX (v, 0.0);
        }
      for (guint t = 1; t <= steps; t++)
        {
          double z1 = normal (rng);
          double z2 = normal (rng);
          double vp = v > 0.0 ? v : 0.0;
          double sq = sqrt (vp * dt);

          truncated += v < 0.0;
          x += (h->rate - 0.5 * vp) * dt + sq * z1;
          v += h->kappa * (h->theta - vp) * dt + h->xi * sq * (h->rho * z1 + rho_bar * z2);
          if (row != NULL)
            {
              row[t] = h->s0 * exp (x);
              var_row[t] = v > 0.0 ? v : 0.0;
            }
        }
      run->block_sum[block] += x;
      run->block_sum2[block] += x * x;
      if (r->terminal != NULL)
        r->terminal[p] = h->s0 * exp (x);
    }
  run->block_truncated[block] = truncated;
}

static gboolean
check_heston (const SextantHestonSpec  *h,
              GError                  **error)
{
  if (!isfinite (h->s0) || h->s0 <= 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_POSITIVE_PRICE,
                   "Heston: the starting price is %g; it must be positive", h->s0);
      return FALSE;
    }
  if (!(h->v0 >= 0) || !(h->kappa >= 0) || !(h->theta >= 0) || !(h->xi >= 0) ||
      !(fabs (h->rho) <= 1) || !isfinite (h->rate) || !isfinite (h->v0 + h->kappa + h->theta + h->xi))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "Heston: need v0, kappa, theta, xi ≥ 0 and −1 ≤ rho ≤ 1 (got v0 %g, kappa %g, "
                   "theta %g, xi %g, rho %g, rate %g)", h->v0, h->kappa, h->theta, h->xi, h->rho,
                   h->rate);
      return FALSE;
    }
  /* The Euler step moves the variance by κ(θ − v)Δt and ξ√(vΔt)·Z: with κΔt above 1 it
   * overshoots θ every step, with ξ√Δt above 1 it is truncated to 0 nearly every step, and the
   * paths are noise (κ = 10³⁰⁸ once made every terminal price 0, printed as a result). */
  if (!(h->kappa * h->dt <= 1) || !(h->xi * sqrt (h->dt) <= 1))
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   "Heston: kappa × dt must be at most 1 and xi × √dt at most 1 for the Euler "
                   "scheme (got %g and %g)", h->kappa * h->dt, h->xi * sqrt (h->dt));
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_scenarios_heston:
 * @spec: the model and the size of the run
 * @flags: what to keep besides the moments of ln S_T
 * @cancellable: (nullable): checked before every block of paths
 * @progress: (nullable) (scope call): called on the calling thread as blocks complete
 * @user_data: for @progress
 * @error: return location for an error
 *
 * Heston stochastic-volatility paths by the full-truncation Euler scheme, in parallel and
 * reproducible by seed for any thread count. @result->n_truncated counts the steps on which the
 * variance went negative and was truncated (frequent when 2κθ < ξ², the Feller condition fails).
 *
 * Returns: (transfer full): the result, or %NULL
 */
SextantScenarioResult *
sextant_scenarios_heston (const SextantHestonSpec  *spec,
                          SextantScenarioFlags      flags,
                          GCancellable             *cancellable,
                          SextantScenarioProgress   progress,
                          gpointer                  user_data,
                          GError                  **error)
{
  g_autoptr(SextantScenarioResult) result = NULL;
  Run run = { 0 };
  gboolean ok;

  g_return_val_if_fail (spec != NULL, NULL);

  if (!check_size (spec->n_paths, spec->n_steps, 1, spec->dt, flags, TRUE, spec->first_path,
                   error) ||
      !check_heston (spec, error))
    return NULL;

  result = result_new (spec->n_paths, spec->n_steps, 1, flags, TRUE);
  run.n_assets = 1;
  run.seed = spec->seed;
  run.first_block = spec->first_path / BLOCK_PATHS;
  run.cancellable = cancellable;
  run.func = heston_block;
  run.scratch_size = 1;
  run.result = result;
  run.heston = spec;

  zig_init ();
  ok = run_parallel (&run, spec->n_threads, progress, user_data, error);
  run_clear (&run);

  return ok ? g_steal_pointer (&result) : NULL;
}
