/* Writes TA-Lib's values for one price file as CSV on stdout; built and run by
 * make_talib_reference.sh against TA-Lib compiled from the sources in its npm package.
 *
 *   make_talib_reference PRICES.csv CLOSE_COLUMN main|extra
 *
 * main (<name>_talib.csv): date, SMA(20), EMA(20), RSI(14), MACD(12,26,9) line/signal/histogram,
 * Bollinger(20, 2, 2, SMA) upper/middle/lower, and ATR(14) when the file has high, low and volume.
 * extra (<name>_talib_extra.csv, kept apart so that the main files' columns, which other tests
 * read by position, do not move): date, WMA(20), and with high, low and volume STOCH(5, 3 SMA,
 * 3 SMA) slow %K and %D and OBV. Every value is printed with 17 significant digits; a cell is
 * empty where TA-Lib gives no value. A close of "NA" is fed to TA-Lib as 0 (the SPI column has
 * such gaps; tests/test-indicators.c knows). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ta_libc.h"

#define MAX_ROWS 100000
#define MAX_LINE 4096

typedef struct
{
  const char *name;
  double     *values;
  int         begin, count;
} Column;

static char *dates[MAX_ROWS];
static double close_[MAX_ROWS], high[MAX_ROWS], low[MAX_ROWS], volume[MAX_ROWS];

static int
find_field (char       *header,
            const char *name)
{
  int i = 0;

  for (char *f = strtok (header, ",\r\n"); f != NULL; f = strtok (NULL, ",\r\n"), i++)
    if (strcmp (f, name) == 0)
      return i;

  return -1;
}

/* Reads the date, close, and when present high, low and volume of every row; returns the row
 * count, or -1 when a column is missing. */
static int
read_prices (FILE       *in,
             const char *close_name,
             int        *has_hlv)
{
  char line[MAX_LINE], copy[MAX_LINE];
  int c, h, l, v, n = 0;

  if (fgets (line, sizeof line, in) == NULL)
    return -1;
  c = find_field (strcpy (copy, line), close_name);
  h = find_field (strcpy (copy, line), "high");
  l = find_field (strcpy (copy, line), "low");
  v = find_field (strcpy (copy, line), "volume");
  *has_hlv = h >= 0 && l >= 0 && v >= 0;
  if (c < 0)
    return -1;

  while (n < MAX_ROWS && fgets (line, sizeof line, in) != NULL)
    {
      char *fields[64];
      int nf = 0;

      for (char *p = line, *f; nf < 64 && (f = strsep (&p, ",\r\n")) != NULL; )
        fields[nf++] = f;
      dates[n] = strdup (fields[0]);
      close_[n] = strcmp (fields[c], "NA") == 0 ? 0.0 : strtod (fields[c], NULL);
      if (*has_hlv)
        {
          high[n] = strtod (fields[h], NULL);
          low[n] = strtod (fields[l], NULL);
          volume[n] = strtod (fields[v], NULL);
        }
      n++;
    }

  return n;
}

static double *
new_column (int n)
{
  return calloc (n, sizeof (double));
}

int
main (int    argc,
      char **argv)
{
  Column cols[16];
  int n, n_cols = 0, n_main, has_hlv, last, b, nb, from, to;
  FILE *in;

  if (argc != 4 || (strcmp (argv[3], "main") != 0 && strcmp (argv[3], "extra") != 0) ||
      (in = fopen (argv[1], "r")) == NULL)
    {
      fprintf (stderr, "usage: %s PRICES.csv CLOSE_COLUMN main|extra\n", argv[0]);
      return 2;
    }
  n = read_prices (in, argv[2], &has_hlv);
  fclose (in);
  if (n <= 0 || TA_Initialize () != TA_SUCCESS)
    {
      fprintf (stderr, "%s: no column %s, or no rows\n", argv[1], argv[2]);
      return 1;
    }
  last = n - 1;

#define ADD(NAME) (cols[n_cols].name = NAME, cols[n_cols].values = new_column (n), \
                   &cols[n_cols++])
#define SET(COL, CALL) do { Column *c_ = (COL); if ((CALL) != TA_SUCCESS) return 1; \
                            c_->begin = b; c_->count = nb; } while (0)
  {
    Column *sma = ADD ("sma_20"), *ema = ADD ("ema_20"), *rsi = ADD ("rsi_14");
    Column *macd = ADD ("macd"), *sig = ADD ("macd_signal"), *hist = ADD ("macd_hist");
    Column *up = ADD ("bb_upper"), *mid = ADD ("bb_middle"), *lo = ADD ("bb_lower");

    SET (sma, TA_SMA (0, last, close_, 20, &b, &nb, sma->values));
    SET (ema, TA_EMA (0, last, close_, 20, &b, &nb, ema->values));
    SET (rsi, TA_RSI (0, last, close_, 14, &b, &nb, rsi->values));
    SET (macd, TA_MACD (0, last, close_, 12, 26, 9, &b, &nb, macd->values, sig->values,
                        hist->values));
    *sig = (Column) { sig->name, sig->values, b, nb };
    *hist = (Column) { hist->name, hist->values, b, nb };
    SET (up, TA_BBANDS (0, last, close_, 20, 2.0, 2.0, TA_MAType_SMA, &b, &nb, up->values,
                        mid->values, lo->values));
    *mid = (Column) { mid->name, mid->values, b, nb };
    *lo = (Column) { lo->name, lo->values, b, nb };
  }
  if (has_hlv)
    {
      Column *atr = ADD ("atr_14");

      SET (atr, TA_ATR (0, last, high, low, close_, 14, &b, &nb, atr->values));
    }
  n_main = n_cols;
  {
    Column *wma = ADD ("wma_20");

    SET (wma, TA_WMA (0, last, close_, 20, &b, &nb, wma->values));
  }
  if (has_hlv)
    {
      Column *k = ADD ("stoch_k"), *d = ADD ("stoch_d"), *obv = ADD ("obv");

      SET (k, TA_STOCH (0, last, high, low, close_, 5, 3, TA_MAType_SMA, 3, TA_MAType_SMA, &b,
                        &nb, k->values, d->values));
      *d = (Column) { d->name, d->values, b, nb };
      SET (obv, TA_OBV (0, last, close_, volume, &b, &nb, obv->values));
    }

  from = strcmp (argv[3], "main") == 0 ? 0 : n_main;
  to = strcmp (argv[3], "main") == 0 ? n_main : n_cols;
  printf ("date");
  for (int c = from; c < to; c++)
    printf (",%s", cols[c].name);
  printf ("\n");
  for (int i = 0; i < n; i++)
    {
      printf ("%s", dates[i]);
      for (int c = from; c < to; c++)
        if (i >= cols[c].begin && i < cols[c].begin + cols[c].count)
          printf (",%.17g", cols[c].values[i - cols[c].begin]);
        else
          printf (",");
      printf ("\n");
    }

  return 0;
}
