#define G_LOG_DOMAIN "sextant-qp-primal"

#include "config.h"

#include <math.h>
#include <string.h>

#include "analytics/sextant-qp-private.h"

/* The primal active-set method (Nocedal and Wright, Numerical Optimization, 2nd ed., §16.5) for
 * min ½x'Gx + a'x subject to a few equalities Ax = b and bounds, from a feasible start. The
 * working set is the equalities plus the variables held at a bound; the other ("free") variables
 * keep a Cholesky factor L of G_FF that grows by one row when a variable is freed and is
 * downdated when one is fixed. Each step solves the equality-constrained programme on the free
 * variables through the Schur complement M = (L⁻¹A_F')'(L⁻¹A_F').
 *
 * Tolerances: a step counts as zero when ‖p‖∞ ≤ 1e-13 max(1, ‖x‖∞); a bound's multiplier counts
 * as negative below −1e-12 max|g|. Giving up (returning FALSE) is always safe: the caller then
 * uses the dual method. */

#define MAX_EQ SEXTANT_QP_MAX_EQ
#define STEP_TOL 1e-13
#define MULTIPLIER_TOL 1e-12

typedef enum { AT_LOWER, AT_UPPER, FREE } VarState;

typedef struct
{
  gsize                       n;
  gsize                       me;
  const double               *g_mat;
  const SextantQpConstraints *c;
  double                     *x;
  double                     *grad;    /* Gx + a */
  int                        *state;
  gsize                      *free;    /* free variables, in the order of L's rows */
  gsize                       nf;
  gsize                       limit;
  double                     *l;       /* nf × nf lower triangular, row stride n */
  double                     *y;       /* me rows of L⁻¹ A_F', row stride n */
  double                     *h;       /* L⁻¹ g_F */
  double                     *p;       /* step on the free variables */
  double                     *work;
  double                      nu[MAX_EQ];
} Primal;

static void
primal_clear (Primal *s)
{
  g_free (s->grad);
  g_free (s->state);
  g_free (s->free);
  g_free (s->l);
  g_free (s->y);
  g_free (s->h);
  g_free (s->p);
  g_free (s->work);
}

/* Solves L v = rhs in place (forward substitution on the first nf rows). */
static void
forward (const Primal *s,
         double       *v)
{
  for (gsize i = 0; i < s->nf; i++)
    {
      const double *row = s->l + i * s->n;
      double sum = v[i];

      for (gsize j = 0; j < i; j++)
        sum -= row[j] * v[j];
      v[i] = sum / row[i];
    }
}

/* Solves L'v = rhs in place (back substitution). */
static void
backward (const Primal *s,
          double       *v)
{
  for (gssize i = (gssize) s->nf - 1; i >= 0; i--)
    {
      v[i] /= s->l[i * s->n + i];
      for (gssize j = 0; j < i; j++)
        v[j] -= s->l[i * s->n + j] * v[i];
    }
}

/* Frees variable j: appends a row to L. FALSE if G_FF would be (nearly) singular. */
static gboolean
append_free (Primal *s,
             gsize   j)
{
  double *row = s->l + s->nf * s->n, d;

  for (gsize k = 0; k < s->nf; k++)
    row[k] = s->g_mat[s->free[k] * s->n + j];
  forward (s, row);
  d = s->g_mat[j * s->n + j];
  for (gsize k = 0; k < s->nf; k++)
    d -= row[k] * row[k];
  if (!(d > 1e-12 * s->g_mat[j * s->n + j]))
    return FALSE;
  row[s->nf] = sqrt (d);
  s->free[s->nf++] = j;
  s->state[j] = FREE;

  return TRUE;
}

/* Fixes the free variable at position k: deleting row and column k of G_FF is a rank-one update
 * of the trailing block of L by its column k, then the rows and columns after k move up. */
static void
remove_free (Primal *s,
             gsize   k)
{
  gsize n = s->n, nf = s->nf;
  double *v = s->work;

  for (gsize i = k + 1; i < nf; i++)
    v[i] = s->l[i * n + k];
  for (gsize j = k + 1; j < nf; j++)
    {
      double ljj = s->l[j * n + j], r = hypot (ljj, v[j]), c = r / ljj, sn = v[j] / ljj;

      s->l[j * n + j] = r;
      for (gsize i = j + 1; i < nf; i++)
        {
          s->l[i * n + j] = (s->l[i * n + j] + sn * v[i]) / c;
          v[i] = c * v[i] - sn * s->l[i * n + j];
        }
    }
  for (gsize i = k; i + 1 < nf; i++)
    {
      double *dst = s->l + i * n;
      const double *src = s->l + (i + 1) * n;

      memmove (dst, src, sizeof (double) * k);
      memmove (dst + k, src + k + 1, sizeof (double) * (i + 1 - k));
      s->free[i] = s->free[i + 1];
    }
  s->nf--;
}

/**
 * _sextant_qp_small_solve:
 * @m: a symmetric positive definite matrix of order @me ≤ 4 (overwritten by its factor)
 * @rhs: (array length=me): right-hand side
 * @x: (out caller-allocates) (array length=me): the solution
 * @me: order
 *
 * Cholesky for the tiny Schur complements of the equality constraints. A pivot under 1e-12 of its
 * diagonal entry means the equalities are (nearly) dependent on the variables at hand.
 *
 * Returns: %FALSE if @m is not numerically positive definite
 */
gboolean
_sextant_qp_small_solve (double        m[][SEXTANT_QP_MAX_EQ],
                         const double *rhs,
                         double       *x,
                         gsize         me)
{
  double y[SEXTANT_QP_MAX_EQ];

  for (gsize r = 0; r < me; r++)
    {
      double diag = m[r][r];

      for (gsize q = 0; q < r; q++)
        {
          for (gsize t = 0; t < q; t++)
            m[r][q] -= m[r][t] * m[q][t];
          m[r][q] /= m[q][q];
          m[r][r] -= m[r][q] * m[r][q];
        }
      if (!(m[r][r] > 1e-12 * diag))
        return FALSE;
      m[r][r] = sqrt (m[r][r]);
    }
  for (gsize r = 0; r < me; r++)
    {
      y[r] = rhs[r];
      for (gsize q = 0; q < r; q++)
        y[r] -= m[r][q] * y[q];
      y[r] /= m[r][r];
    }
  for (gssize r = (gssize) me - 1; r >= 0; r--)
    {
      for (gsize q = r + 1; q < me; q++)
        y[r] -= m[q][r] * x[q];
      x[r] = y[r] / m[r][r];
    }

  return TRUE;
}

/* Solves the equality-constrained programme on the free variables for the step p (and the
 * equalities' multipliers ν). FALSE when A_F has too few free variables to have full row rank. */
static gboolean
compute_step (Primal *s)
{
  gsize n = s->n, me = s->me, nf = s->nf;
  double m[MAX_EQ][MAX_EQ], rhs[MAX_EQ];


  if (nf < me)
    return FALSE;
  for (gsize k = 0; k < nf; k++)
    s->h[k] = s->grad[s->free[k]];
  forward (s, s->h);
  for (gsize r = 0; r < me; r++)
    {
      double *yr = s->y + r * n;

      for (gsize k = 0; k < nf; k++)
        yr[k] = s->c->c[r * n + s->free[k]];
      forward (s, yr);
    }

  /* M ν = Y h; a rank-deficient A_F (say, both equalities with one free variable) fails. */
  for (gsize r = 0; r < me; r++)
    {
      rhs[r] = 0;
      for (gsize k = 0; k < nf; k++)
        rhs[r] += s->y[r * n + k] * s->h[k];
      for (gsize q = 0; q <= r; q++)
        {
          double sum = 0;

          for (gsize k = 0; k < nf; k++)
            sum += s->y[r * n + k] * s->y[q * n + k];
          m[r][q] = m[q][r] = sum;
        }
    }
  if (!_sextant_qp_small_solve (m, rhs, s->nu, me))
    return FALSE;

  /* p_F = −L⁻ᵀ (h − Y'ν) */
  for (gsize k = 0; k < nf; k++)
    {
      double t = s->h[k];

      for (gsize r = 0; r < me; r++)
        t -= s->y[r * n + k] * s->nu[r];
      s->p[k] = -t;
    }
  backward (s, s->p);

  return TRUE;
}

/* With a zero step, the multiplier of each bound in the working set is g_i − (A'ν)_i for a lower
 * bound and its negative for an upper one. Returns the variable whose multiplier is most
 * negative, or -1 when none is: then x is optimal. */
static gssize
most_negative_multiplier (Primal *s)
{
  double scale = 0, worst = 0;
  gssize best = -1;

  for (gsize i = 0; i < s->n; i++)
    scale = MAX (scale, fabs (s->grad[i]));
  for (gsize i = 0; i < s->n; i++)
    {
      double mu;

      if (s->state[i] == FREE || s->c->lower[i] == s->c->upper[i])
        continue;
      mu = s->grad[i];
      for (gsize r = 0; r < s->me; r++)
        mu -= s->c->c[r * s->n + i] * s->nu[r];
      if (s->state[i] == AT_UPPER)
        mu = -mu;
      if (mu < -MULTIPLIER_TOL * scale && mu < worst)
        {
          worst = mu;
          best = i;
        }
    }

  return best;
}

/* Moves along p as far as the bounds allow (at most the full step), updating x and Gx + a;
 * fixes the variable that blocks the step, if any. Returns %TRUE for a full, unblocked step. */
static gboolean
take_step (Primal *s)
{
  gsize n = s->n;
  double alpha = 1, pmax = 0;
  gssize block = -1;

  for (gsize k = 0; k < s->nf; k++)
    pmax = MAX (pmax, fabs (s->p[k]));

  /* Components of p that are rounding noise (below 1e-14 of the largest) do not block: a
   * variable sitting on its bound would otherwise stop every step at length 0 and the method
   * would cycle between freeing and fixing it. Such a variable can then cross its bound by
   * 1e-14 of a step, which the final clamp removes. */
  for (gsize k = 0; k < s->nf; k++)
    {
      gsize i = s->free[k];
      double pk = fabs (s->p[k]) > 1e-14 * pmax ? s->p[k] : 0;
      double limit = pk < 0 ? (s->c->lower[i] - s->x[i]) / pk
                   : pk > 0 ? (s->c->upper[i] - s->x[i]) / pk : INFINITY;

      if (limit < alpha)
        {
          alpha = MAX (limit, 0);
          block = k;
        }
    }

  for (gsize k = 0; k < s->nf; k++)
    {
      gsize i = s->free[k];
      double step = alpha * s->p[k];
      const double *col = s->g_mat + i * n;   /* G is symmetric: row i is column i */

      s->x[i] += step;
      for (gsize r = 0; r < n; r++)
        s->grad[r] += step * col[r];
    }

  if (block >= 0)
    {
      gsize i = s->free[block];

      s->state[i] = s->p[block] < 0 ? AT_LOWER : AT_UPPER;
      s->x[i] = s->state[i] == AT_LOWER ? s->c->lower[i] : s->c->upper[i];
      remove_free (s, block);
    }

  return block < 0;
}

static gboolean
setup (Primal       *s,
       const double *a,
       const double *start)
{
  gsize n = s->n;

  for (gsize i = 0; i < n; i++)
    {
      double sum = a != NULL ? a[i] : 0;

      for (gsize j = 0; j < n; j++)
        sum += s->g_mat[i * n + j] * start[j];
      s->grad[i] = sum;
    }

  /* Variables at their lower bound start in the working set; all others are free, even one at
   * its upper bound, so that the equalities keep free variables to move. */
  for (gsize i = 0; i < n; i++)
    {
      if (start[i] < s->c->lower[i] || start[i] > s->c->upper[i])
        return FALSE;
      s->state[i] = start[i] == s->c->lower[i] ? AT_LOWER : FREE;
      if (s->state[i] == FREE && (s->nf >= s->limit || !append_free (s, i)))
        return FALSE;
    }

  return TRUE;
}

gboolean
_sextant_qp_primal (const double                *g,
                    gsize                        n,
                    const double                *a,
                    const SextantQpConstraints  *constraints,
                    const double                *start,
                    double                      *x,
                    guint                       *iterations)
{
  Primal s = { n, constraints->meq, g, constraints, x };
  gboolean ok = FALSE, full_step = FALSE;

  if (constraints->meq > MAX_EQ || constraints->lower == NULL || constraints->upper == NULL)
    return FALSE;

  s.limit = MAX (n / 3, MIN (n, 60));
  s.grad = g_new (double, n);
  s.state = g_new (int, n);
  s.free = g_new (gsize, n);
  s.l = g_new (double, s.limit * n + n);
  s.y = g_new (double, MAX_EQ * n);
  s.h = g_new (double, n);
  s.p = g_new (double, n);
  s.work = g_new (double, n);
  memcpy (x, start, sizeof (double) * n);

  /* After a full step x minimises over the working set and the ν of that step are its
   * multipliers: the next step would be zero up to rounding, which on an ill-conditioned face
   * (the top of a frontier) can exceed any fixed tolerance, so it is not computed. */
  if (setup (&s, a, start))
    for (guint it = 0; it < 10 * n + 100; it++)
      {
        gboolean at_minimiser = FALSE;
        gssize release;

        *iterations = it + 1;
        if (!full_step)
          {
            double pmax = 0, xmax = 1;

            if (!compute_step (&s))
              break;
            for (gsize k = 0; k < s.nf; k++)
              {
                pmax = MAX (pmax, fabs (s.p[k]));
                xmax = MAX (xmax, fabs (x[s.free[k]]));
              }
            at_minimiser = pmax <= STEP_TOL * xmax;
          }
        if (!full_step && !at_minimiser)
          {
            full_step = take_step (&s);
            continue;
          }
        full_step = FALSE;
        release = most_negative_multiplier (&s);
        if (release < 0)
          {
            ok = TRUE;
            break;
          }
        if (s.nf >= s.limit || !append_free (&s, release))
          break;
      }

  g_debug ("primal active set: %s after %u steps, %" G_GSIZE_FORMAT " free of %" G_GSIZE_FORMAT,
           ok ? "solved" : "handing over to the dual method", *iterations, s.nf, n);
  for (gsize i = 0; ok && i < n; i++)
    x[i] = CLAMP (x[i], constraints->lower[i], constraints->upper[i]);
  primal_clear (&s);
  return ok;
}
