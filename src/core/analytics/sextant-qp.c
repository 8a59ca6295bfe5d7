#define G_LOG_DOMAIN "sextant-qp"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-covariance.h"
#include "analytics/sextant-qp.h"
#include "analytics/sextant-qp-private.h"

/* Why hand-written: Debian 12 ships no C quadratic-programming library that fits here — GSL has
 * none, GLPK solves linear programmes only, and quadprog (what make_reference.R uses) is Fortran
 * inside an R package. sextant_qp_solve() is the dual active-set method of Goldfarb and Idnani,
 * "A numerically stable dual method for solving strictly convex quadratic programs", Math.
 * Programming 27 (1983), the method of R's quadprog, with three changes for portfolio problems:
 * bounds are unit-vector constraints handled in O(n) instead of as dense rows; a constraint joins
 * the active set through one Householder reflection of J (a rank-one update) instead of a sweep
 * of Givens rotations; and the Cholesky factor of G is kept so that programmes sharing G (a
 * frontier) skip the O(n³) start. sextant_qp_solve_from() first tries two cheaper routes for
 * programmes with only equalities and bounds (see there and sextant-qp-primal.c).
 *
 * Tolerances: a constraint counts as violated when it is off by more than 1e-11 relative to the
 * size of its terms; a step direction counts as zero when ‖J₂'n‖² ≤ 1e-20 ‖J'n‖² (the new
 * constraint is a combination of the active ones). The solution then meets every constraint to
 * about 1e-11 and the KKT conditions to rounding error. */

#define VIOLATION_TOL 1e-11
#define DEPENDENCE_TOL 1e-20

struct _SextantQp
{
  gsize   n;
  double *g;       /* n × n row-major */
  double *l;       /* Cholesky factor of G, row-major lower triangle */
  double *j0;      /* L⁻ᵀ, column-major: column k at j0 + k n */
  /* Work space of one solve. */
  double *j;
  double *r;       /* upper triangular, column-major with leading dimension n */
  double *d;
  double *z;
  double *rv;
  double *u;
  int    *active;
  int    *eq_sign;
  gsize   eq_alloc;
  guint   iterations;
  gboolean have_inverse;   /* j0 is formed when the dual method first needs it */
};

typedef struct
{
  SextantQp                  *qp;
  const SextantQpConstraints *cons;
  double                     *x;
  gsize                       q;
} Solve;

void
sextant_qp_free (SextantQp *self)
{
  if (self == NULL)
    return;

  g_free (self->g);
  g_free (self->l);
  g_free (self->j0);
  g_free (self->j);
  g_free (self->r);
  g_free (self->d);
  g_free (self->z);
  g_free (self->rv);
  g_free (self->u);
  g_free (self->active);
  g_free (self->eq_sign);
  g_free (self);
}

/**
 * sextant_qp_new:
 * @g: (array): n × n symmetric positive definite matrix, row-major
 * @n: number of variables
 * @error: SEXTANT_ANALYTICS_ERROR_SINGULAR if @g is not positive definite
 *
 * Factorises G (Cholesky), which also proves it positive definite.
 *
 * Returns: (transfer full) (nullable): a solver for programmes with this G
 */
SextantQp *
sextant_qp_new (const double  *g,
                gsize          n,
                GError       **error)
{
  g_autoptr(SextantQp) self = g_new0 (SextantQp, 1);
  g_return_val_if_fail (g != NULL && n > 0, NULL);

  self->n = n;
  self->g = g_memdup2 (g, sizeof (double) * n * n);
  self->l = g_new (double, n * n);
  if (!sextant_cholesky (g, n, self->l, error))
    return NULL;

  self->j = g_new (double, n * n);
  self->r = g_new0 (double, n * n);
  self->d = g_new (double, n);
  self->z = g_new (double, n);
  self->rv = g_new (double, n);
  self->u = g_new (double, n + 1);
  self->active = g_new (int, n + 1);

  return g_steal_pointer (&self);
}

/* The dual method's start, J = L⁻ᵀ, costs as much as the factorisation: it is formed only when
 * a programme needs that method (the primal method from a feasible start does not). */
static gboolean
ensure_inverse (SextantQp  *self,
                GError    **error)
{
  gsl_matrix_view l;
  gsize n = self->n;
  int status;

  if (self->have_inverse)
    return TRUE;

  self->j0 = g_memdup2 (self->l, sizeof (double) * n * n);
  /* L⁻¹ stored row-major is L⁻ᵀ stored column-major: no transpose needed. */
  l = gsl_matrix_view_array (self->j0, n, n);
  sextant_gsl_errors_as_status ();
  status = gsl_linalg_tri_invert (CblasLower, CblasNonUnit, &l.matrix);
  if (status != GSL_SUCCESS)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_SINGULAR,
                   _("The quadratic term's Cholesky factor cannot be inverted"));
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    for (gsize k = i + 1; k < n; k++)
      self->j0[i * n + k] = 0;
  self->have_inverse = TRUE;

  return TRUE;
}

guint
sextant_qp_get_iterations (SextantQp *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->iterations;
}

/* Constraints are numbered: general rows 0 … m − 1, then lower bounds m + i, then upper bounds
 * m + n + i. An upper bound x_i ≤ u is the inequality −x_i ≥ −u. */
static double
cons_slack (Solve *s,
            gsize  p,
            double *scale)
{
  const SextantQpConstraints *c = s->cons;
  gsize n = s->qp->n;

  if (p < c->m)
    {
      const double *row = c->c + p * n;
      double sum = 0, size = fabs (c->b[p]);
      int sign = p < c->meq ? s->qp->eq_sign[p] : 1;

      for (gsize i = 0; i < n; i++)
        {
          sum += row[i] * s->x[i];
          size += fabs (row[i] * s->x[i]);
        }
      *scale = MAX (1.0, size);
      return sign * (sum - c->b[p]);
    }
  if (p < c->m + n)
    {
      *scale = MAX (1.0, fabs (c->lower[p - c->m]));
      return s->x[p - c->m] - c->lower[p - c->m];
    }
  *scale = MAX (1.0, fabs (c->upper[p - c->m - n]));
  return c->upper[p - c->m - n] - s->x[p - c->m - n];
}

/* d = J'n_p: a dense product for a general row, one row of J for a bound. */
static void
cons_times_j (Solve *s,
              gsize  p)
{
  const SextantQpConstraints *c = s->cons;
  gsize n = s->qp->n;
  const double *jm = s->qp->j;
  double *d = s->qp->d;

  if (p < c->m)
    {
      const double *row = c->c + p * n;
      int sign = p < c->meq ? s->qp->eq_sign[p] : 1;

      for (gsize k = 0; k < n; k++)
        {
          const double *col = jm + k * n;
          double sum = 0;

          for (gsize i = 0; i < n; i++)
            sum += col[i] * row[i];
          d[k] = sign * sum;
        }
      return;
    }

  {
    gsize i = p < c->m + n ? p - c->m : p - c->m - n;
    double sign = p < c->m + n ? 1.0 : -1.0;

    for (gsize k = 0; k < n; k++)
      d[k] = sign * jm[k * n + i];
  }
}

static double
cons_dot (Solve        *s,
          gsize         p,
          const double *v)
{
  const SextantQpConstraints *c = s->cons;
  gsize n = s->qp->n;

  if (p < c->m)
    {
      double sum = 0;

      for (gsize i = 0; i < n; i++)
        sum += c->c[p * n + i] * v[i];
      return (p < c->meq ? s->qp->eq_sign[p] : 1) * sum;
    }

  return p < c->m + n ? v[p - c->m] : -v[p - c->m - n];
}

static gboolean
is_equality (Solve *s,
             int    p)
{
  return (gsize) p < s->cons->meq;
}

/* Picks the next constraint to add: an inactive equality first, else the most violated
 * inequality (relative to its scale). Returns -1 when x is feasible. */
static gssize
choose_violated (Solve  *s,
                 double *slack)
{
  const SextantQpConstraints *c = s->cons;
  gsize n = s->qp->n, total = c->m + 2 * n;
  gssize best = -1;
  double worst = 0, scale;

  for (gsize p = 0; p < c->meq; p++)
    {
      gboolean on = FALSE;

      for (gsize k = 0; k < s->q && !on; k++)
        on = s->qp->active[k] == (int) p;
      if (on)
        continue;
      s->qp->eq_sign[p] = 1;
      *slack = cons_slack (s, p, &scale);
      if (*slack > 0)
        {
          s->qp->eq_sign[p] = -1;
          *slack = -*slack;
        }
      return p;
    }

  for (gsize p = c->meq; p < total; p++)
    {
      double v;

      if (p >= c->m && p < c->m + n && (c->lower == NULL || !isfinite (c->lower[p - c->m])))
        continue;
      if (p >= c->m + n && (c->upper == NULL || !isfinite (c->upper[p - c->m - n])))
        continue;
      v = cons_slack (s, p, &scale);
      if (v < -VIOLATION_TOL * scale && v / scale < worst)
        {
          worst = v / scale;
          best = p;
          *slack = v;
        }
    }

  return best;
}

/* With d = J'n_p: primal direction z = J₂ d₂ and dual direction r = R⁻¹ d₁. Returns z'n_p. */
static double
compute_directions (Solve *s,
                    gsize  p)
{
  SextantQp *qp = s->qp;
  gsize n = qp->n, q = s->q;

  cons_times_j (s, p);
  memset (qp->z, 0, sizeof (double) * n);
  for (gsize k = q; k < n; k++)
    {
      const double *col = qp->j + k * n;
      double dk = qp->d[k];

      if (dk == 0)
        continue;
      for (gsize i = 0; i < n; i++)
        qp->z[i] += dk * col[i];
    }
  for (gssize i = (gssize) q - 1; i >= 0; i--)
    {
      double sum = qp->d[i];

      for (gsize k = i + 1; k < q; k++)
        sum -= qp->r[i + k * n] * qp->rv[k];
      qp->rv[i] = sum / qp->r[i + i * n];
    }

  return cons_dot (s, p, qp->z);
}

static void
rotate_columns (double *a,
                double *b,
                gsize   n,
                double  c,
                double  sn)
{
  for (gsize i = 0; i < n; i++)
    {
      double x = a[i], y = b[i];

      a[i] = c * x + sn * y;
      b[i] = -sn * x + c * y;
    }
}

/* Appends p to the active set. A Householder reflection H of J's last n − q columns maps
 * d₂ = J₂'n_p onto α e₁, which turns J'n_p into a new column of R while keeping J'GJ = I. J₂ v is
 * z − α J_q with z = J₂ d₂ from compute_directions(), so the whole update is one rank-one
 * correction of J₂: half the work of the Givens sweep of the original method. */
static void
add_constraint (Solve  *s,
                gsize   p,
                double  multiplier)
{
  SextantQp *qp = s->qp;
  gsize n = qp->n, q = s->q;
  double *d = qp->d, *y = qp->rv, sigma = 0, alpha, vtv;

  for (gsize k = q; k < n; k++)
    sigma += d[k] * d[k];
  sigma = sqrt (sigma);
  alpha = d[q] > 0 ? -sigma : sigma;
  vtv = 2 * sigma * (sigma + fabs (d[q]));
  d[q] -= alpha;                       /* d[q..n) now holds v */
  for (gsize i = 0; i < n; i++)
    y[i] = qp->z[i] - alpha * qp->j[q * n + i];
  for (gsize k = q; k < n; k++)
    {
      double f = 2 * d[k] / vtv;
      double *col = qp->j + k * n;

      if (f == 0)
        continue;
      for (gsize i = 0; i < n; i++)
        col[i] -= f * y[i];
    }
  d[q] = alpha;

  for (gsize i = 0; i <= q; i++)
    qp->r[i + q * n] = d[i];
  qp->active[q] = (int) p;
  qp->u[q] = multiplier;
  s->q++;
}

/* Removes the constraint at position k: R loses a column and is made triangular again by
 * rotations of its rows, which are applied to the columns of J as well. */
static void
drop_constraint (Solve *s,
                 gsize  k)
{
  SextantQp *qp = s->qp;
  gsize n = qp->n, q = s->q;

  for (gsize col = k; col + 1 < q; col++)
    {
      memcpy (qp->r + col * n, qp->r + (col + 1) * n, sizeof (double) * (col + 2));
      qp->active[col] = qp->active[col + 1];
      qp->u[col] = qp->u[col + 1];
    }
  for (gsize i = k; i + 1 < q; i++)
    {
      double a = qp->r[i + i * n], b = qp->r[i + 1 + i * n];
      double h = hypot (a, b), c = a / h, sn = b / h;

      qp->r[i + i * n] = h;
      qp->r[i + 1 + i * n] = 0;
      for (gsize col = i + 1; col + 1 < q; col++)
        {
          double x = qp->r[i + col * n], y = qp->r[i + 1 + col * n];

          qp->r[i + col * n] = c * x + sn * y;
          qp->r[i + 1 + col * n] = -sn * x + c * y;
        }
      rotate_columns (qp->j + i * n, qp->j + (i + 1) * n, n, c, sn);
    }
  s->q--;
}

static void
describe_constraint (Solve   *s,
                     gsize    p,
                     GString *out)
{
  gsize m = s->cons->m, n = s->qp->n;

  if (p < s->cons->meq)
    g_string_append_printf (out, _("equality constraint %zu"), (size_t) p + 1);
  else if (p < m)
    g_string_append_printf (out, _("inequality constraint %zu"), (size_t) p + 1);
  else if (p < m + n)
    g_string_append_printf (out, _("the lower bound %g of variable %zu"),
                            s->cons->lower[p - m], p - m + 1);
  else
    g_string_append_printf (out, _("the upper bound %g of variable %zu"),
                            s->cons->upper[p - m - n], p - m - n + 1);
}

static gboolean
fail_infeasible (Solve   *s,
                 gsize    p,
                 double   slack,
                 GError **error)
{
  g_autoptr(GString) what = g_string_new (NULL);

  describe_constraint (s, p, what);
  g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
               _("The constraints cannot all hold: %s stays violated by %g once the others are met"),
               what->str, fabs (slack));
  return FALSE;
}

/* One pass of step 2 of Goldfarb-Idnani for the violated constraint p: take partial steps,
 * dropping blocking constraints, until p can be added. */
static gboolean
satisfy_constraint (Solve   *s,
                    gsize    p,
                    double   slack,
                    GError **error)
{
  SextantQp *qp = s->qp;
  double u_new = 0, scale;

  for (;;)
    {
      double zn = compute_directions (s, p), t1 = INFINITY, t2 = INFINITY, t, dd = 0;
      gssize block = -1;

      for (gsize i = 0; i < qp->n; i++)
        dd += qp->d[i] * qp->d[i];
      for (gsize k = 0; k < s->q; k++)
        if (!is_equality (s, qp->active[k]) && qp->rv[k] > 0 && qp->u[k] / qp->rv[k] < t1)
          {
            t1 = qp->u[k] / qp->rv[k];
            block = k;
          }
      if (zn > DEPENDENCE_TOL * dd)
        t2 = -slack / zn;
      if (!isfinite (t1) && !isfinite (t2))
        return fail_infeasible (s, p, slack, error);

      if (++qp->iterations > 50 * (qp->n + s->cons->m) + 100)
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NOT_CONVERGED,
                       _("The quadratic programme did not converge in %u steps"), qp->iterations);
          return FALSE;
        }

      t = MIN (t1, t2);
      for (gsize k = 0; k < s->q; k++)
        qp->u[k] -= t * qp->rv[k];
      u_new += t;
      if (isfinite (t2))
        for (gsize i = 0; i < qp->n; i++)
          s->x[i] += t * qp->z[i];

      if (t2 <= t1)
        {
          add_constraint (s, p, u_new);
          return TRUE;
        }
      drop_constraint (s, block);
      if (isfinite (t2))
        slack = cons_slack (s, p, &scale);
    }
}

/**
 * sextant_qp_solve:
 * @self: a solver made for G
 * @a: (array) (nullable): the linear term, %NULL for zero
 * @constraints: the constraints
 * @x: (out caller-allocates) (array): the n minimisers
 * @error: INFEASIBLE naming a constraint, or NOT_CONVERGED
 */
gboolean
sextant_qp_solve (SextantQp                   *self,
                  const double                *a,
                  const SextantQpConstraints  *constraints,
                  double                      *x,
                  GError                     **error)
{
  Solve s = { self, constraints, x, 0 };
  gsize n;

  g_return_val_if_fail (self != NULL && constraints != NULL && x != NULL, FALSE);
  g_return_val_if_fail (constraints->meq <= constraints->m, FALSE);

  n = self->n;
  if (!ensure_inverse (self, error))
    return FALSE;
  if (self->eq_alloc < constraints->m + 1)
    {
      self->eq_sign = g_renew (int, self->eq_sign, constraints->m + 1);
      self->eq_alloc = constraints->m + 1;
    }
  self->iterations = 0;
  memcpy (self->j, self->j0, sizeof (double) * n * n);

  /* The unconstrained minimum −G⁻¹a = −J J'a. */
  memset (x, 0, sizeof (double) * n);
  if (a != NULL)
    for (gsize k = 0; k < n; k++)
      {
        const double *col = self->j0 + k * n;
        double dk = 0;

        for (gsize i = 0; i < n; i++)
          dk += col[i] * a[i];
        for (gsize i = 0; i < n; i++)
          x[i] -= dk * col[i];
      }

  for (;;)
    {
      double slack = 0;
      gssize p = choose_violated (&s, &slack);

      if (p < 0)
        return TRUE;
      if (!satisfy_constraint (&s, p, slack, error))
        return FALSE;
    }
}

/* The minimiser under the equalities alone, x = L⁻ᵀ(Yν − c) with Y = L⁻¹A', c = L⁻¹a and
 * (Y'Y)ν = b + Y'c: O(n²) with the factor at hand. When it happens to meet every bound it is the
 * answer, which is common for minimum variance over weakly correlated assets. */
static gboolean
equality_solution (SextantQp                  *self,
                   const double               *a,
                   const SextantQpConstraints *c,
                   double                     *x)
{
  gsize n = self->n, me = c->meq;
  g_autofree double *y = g_new (double, (me + 1) * n);
  double m[SEXTANT_QP_MAX_EQ][SEXTANT_QP_MAX_EQ], rhs[SEXTANT_QP_MAX_EQ], nu[SEXTANT_QP_MAX_EQ];
  double *cv = y + me * n;

  if (me == 0 || me > SEXTANT_QP_MAX_EQ)
    return FALSE;
  for (gsize r = 0; r <= me; r++)
    {
      double *v = y + r * n;

      for (gsize i = 0; i < n; i++)
        {
          double sum = r < me ? c->c[r * n + i] : (a != NULL ? a[i] : 0);

          for (gsize j = 0; j < i; j++)
            sum -= self->l[i * n + j] * v[j];
          v[i] = sum / self->l[i * n + i];
        }
    }
  for (gsize r = 0; r < me; r++)
    {
      rhs[r] = c->b[r];
      for (gsize i = 0; i < n; i++)
        rhs[r] += y[r * n + i] * cv[i];
      for (gsize q = 0; q < me; q++)
        {
          m[r][q] = 0;
          for (gsize i = 0; i < n; i++)
            m[r][q] += y[r * n + i] * y[q * n + i];
        }
    }
  if (!_sextant_qp_small_solve (m, rhs, nu, me))
    return FALSE;

  for (gsize i = 0; i < n; i++)
    {
      x[i] = -cv[i];
      for (gsize r = 0; r < me; r++)
        x[i] += y[r * n + i] * nu[r];
    }
  for (gssize i = (gssize) n - 1; i >= 0; i--)
    {
      x[i] /= self->l[i * n + i];
      for (gssize j = 0; j < i; j++)
        x[j] -= self->l[i * n + j] * x[i];
    }
  for (gsize i = 0; i < n; i++)
    if ((c->lower != NULL && x[i] < c->lower[i]) || (c->upper != NULL && x[i] > c->upper[i]))
      return FALSE;

  return TRUE;
}

/**
 * sextant_qp_solve_from:
 * @self: a solver made for G
 * @a: (array) (nullable): the linear term, %NULL for zero
 * @constraints: equalities and bounds only (no general inequalities)
 * @start: (array): a feasible point: it meets every equality and bound
 * @x: (out caller-allocates) (array): the n minimisers
 * @error: INFEASIBLE naming a constraint, or NOT_CONVERGED
 *
 * First the minimiser under the equalities alone is tried: if it meets the bounds, it is the
 * answer. Portfolio programmes otherwise often end with most weights at a bound. From a feasible
 * start the primal
 * active-set method then only frees the few weights that end up inside their bounds, each step
 * costing O(f²) for f free weights instead of the dual method's O(n²) and its O(n³) start. When
 * the free set grows past a third of the variables, or the start leaves the equalities without
 * enough free weights to move, the dual method takes over from scratch, so the answer never
 * depends on which method found it.
 */
gboolean
sextant_qp_solve_from (SextantQp                   *self,
                       const double                *a,
                       const SextantQpConstraints  *constraints,
                       const double                *start,
                       double                      *x,
                       GError                     **error)
{
  g_return_val_if_fail (self != NULL && constraints != NULL && start != NULL && x != NULL, FALSE);

  if (constraints->m == constraints->meq && equality_solution (self, a, constraints, x))
    return TRUE;
  if (constraints->m == constraints->meq &&
      _sextant_qp_primal (self->g, self->n, a, constraints, start, x, &self->iterations))
    return TRUE;

  return sextant_qp_solve (self, a, constraints, x, error);
}
