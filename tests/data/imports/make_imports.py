#!/usr/bin/env python3
"""Writes the import fixtures of this folder and, for each, the bars a correct import stores.

Part 1 rewrites real rows of ../market/ (MSFT, S&P 500, Dow Jones 30) into the shapes real exports
have (see README.md); the few files with no real source are written out here by hand.
Part 2 reads every fixture back with Python's csv, datetime and decimal modules alone (nothing of
Sextant) and writes expected/<fixture>.csv: symbol,date,open,high,low,close,volume, one bar per
line in date order, empty for a missing value, numbers in Python's shortest round-trip form.

Run from this folder: python3 make_imports.py
"""
import csv
import datetime as dt
import decimal
import io
import os

HERE = os.path.dirname(os.path.abspath(__file__))
MARKET = os.path.join(HERE, "..", "market")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def market_rows(name, n, skip=0):
    with open(os.path.join(MARKET, name), newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[skip:skip + n]


def write(name, text):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        f.write(text)


def thousands(value, decimals):
    return f"{decimal.Decimal(value):,.{decimals}f}"


def suffixed_volume(volume):
    v = decimal.Decimal(volume)
    if v >= 1_000_000_000:
        return f"{v / 1_000_000_000:.2f}B"
    if v >= 1_000_000:
        return f"{v / 1_000_000:.2f}M"
    return f"{v / 1000:.2f}K"


# ---------------------------------------------------------------------------------------------
# Part 1: the fixtures
# ---------------------------------------------------------------------------------------------

def make_investing():
    # investing.com "Historical Data" download: every cell quoted, newest first, "Mon DD, YYYY",
    # thousands separators, volumes with K/M suffixes and a "Change %" column.
    rows = market_rows("sp500_2000-2020_ohlcv.csv", 20)
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(["Date", "Price", "Open", "High", "Low", "Vol.", "Change %"])
    previous = None
    lines = []
    for r in rows:
        d = dt.date.fromisoformat(r["date"])
        close = decimal.Decimal(r["close"])
        change = "" if previous is None else f"{(close / previous - 1) * 100:.2f}%"
        previous = close
        lines.append([f"{MONTHS[d.month - 1]} {d.day:02d}, {d.year}", thousands(r["close"], 2),
                      thousands(r["open"], 2), thousands(r["high"], 2), thousands(r["low"], 2),
                      suffixed_volume(r["volume"]), change])
    for line in reversed(lines):
        w.writerow(line)
    write("SPX Historical Data.csv", out.getvalue())


def make_yfinance():
    # yfinance >= 0.2.51: download("MSFT").to_csv() writes Price/Ticker/Date header rows.
    rows = market_rows("msft_2000-09_2001-09_ohlcv.csv", 15)
    text = "Price,Close,High,Low,Open,Volume\nTicker,MSFT,MSFT,MSFT,MSFT,MSFT\nDate,,,,,\n"
    for r in rows:
        text += f"{r['date']},{r['close']},{r['high']},{r['low']},{r['open']},{r['volume']}\n"
    write("yfinance_msft.csv", text)

    # download(["IBM", "MSFT"])[["Close"]].to_csv(): one close column per ticker.
    rows = market_rows("dowjones30_1990-2001_closes.csv", 15, skip=100)
    text = "Price,Close,Close\nTicker,IBM,MSFT\nDate,,\n"
    for r in rows:
        text += f"{r['date']},{r['IBM']},{r['MSFT']}\n"
    write("yfinance_ibm_msft_closes.csv", text)


def make_alpha_vantage():
    # Alpha Vantage's datatype=csv answer saved as daily_IBM.csv: timestamp column, newest first.
    # The values are MSFT's rows (the fixture is about the file name and the order).
    rows = market_rows("msft_2000-09_2001-09_ohlcv.csv", 10, skip=40)
    text = "timestamp,open,high,low,close,volume\n"
    for r in reversed(rows):
        text += f"{r['date']},{r['open']},{r['high']},{r['low']},{r['close']},{r['volume']}\n"
    write("daily_IBM.csv", text)


def make_date_formats():
    rows = market_rows("dowjones30_1990-2001_closes.csv", 12)
    # Excel's d-mmm-yy display saved as CSV.
    text = "Date,Close\n"
    for r in rows:
        d = dt.date.fromisoformat(r["date"])
        text += f"{d.day}-{MONTHS[d.month - 1]}-{d.year % 100:02d},{r['KO']}\n"
    write("KO_excel_d-mmm-yy.csv", text)
    # Day-first with dashes and semicolons/decimal commas, as Italian and Dutch banks export.
    text = "Date;Close\n"
    for r in rows:
        d = dt.date.fromisoformat(r["date"])
        text += f"{d.day:02d}-{d.month:02d}-{d.year};{r['GE'].replace('.', ',')}\n"
    write("GE_eu_dash.csv", text)
    # Dukascopy's export: "Gmt time" as dd.mm.yyyy hh:mm:ss.fff.
    rows = market_rows("msft_2000-09_2001-09_ohlcv.csv", 10, skip=100)
    text = "Gmt time,Open,High,Low,Close,Volume\n"
    for r in rows:
        d = dt.date.fromisoformat(r["date"])
        text += (f"{d.day:02d}.{d.month:02d}.{d.year} 00:00:00.000,{r['open']},{r['high']},"
                 f"{r['low']},{r['close']},{r['volume']}\n")
    write("MSFT.USUSD_Candlestick_1_D_BID_2001.csv", text)


def make_old_years():
    # Stooq's long index histories start in the 18th century. No real values of that time are
    # at hand: the dates have Stooq's shape and the closes are S&P 500 rows (only the dates are
    # under test).
    rows = market_rows("sp500_2000-2020_ohlcv.csv", 6)
    days = ["1791-03-01", "1791-04-01", "1791-05-02", "1791-06-01", "1791-07-01", "1791-08-01"]
    text = "Date,Open,High,Low,Close\n"
    for day, r in zip(days, rows):
        text += f"{day},{r['open']},{r['high']},{r['low']},{r['close']}\n"
    write("^spx_d.csv", text)


def make_intraday():
    # Hourly bars, hand-written: a date and a time column (Stooq's and MetaTrader's intraday
    # exports), two days, rows of the second day out of order.
    text = """Date,Time,Open,High,Low,Close,Volume
2024-01-02,09:30:00,370.00,371.20,369.10,370.80,1200
2024-01-02,10:30:00,370.80,372.50,370.40,372.10,900
2024-01-02,11:30:00,372.10,372.30,368.00,368.90,1500
2024-01-02,15:30:00,368.90,369.50,367.20,369.25,2100
2024-01-03,11:30:00,366.10,367.00,365.00,366.60,800
2024-01-03,09:30:00,365.00,366.40,364.10,366.20,1900
2024-01-03,10:30:00,366.20,366.90,365.50,366.10,700
2024-01-03,15:30:00,366.60,368.80,366.30,368.70,2600
"""
    write("msft_intraday_hourly.csv", text)
    # yfinance's intraday download (interval="1h"): "Datetime" with an offset, newest first.
    text = """Datetime,Open,High,Low,Close,Volume
2024-01-03 15:30:00-05:00,366.60,368.80,366.30,368.70,2600
2024-01-03 09:30:00-05:00,365.00,366.40,364.10,366.20,1900
2024-01-02 15:30:00-05:00,368.90,369.50,367.20,369.25,2100
2024-01-02 12:30:00-05:00,372.10,372.30,368.00,368.90,1500
2024-01-02 09:30:00-05:00,370.00,371.20,369.10,370.80,1200
"""
    write("msft_intraday_yfinance_newest_first.csv", text)


def make_broker():
    # Schwab's "Transactions" export, hand-written in its shape.
    write("schwab_transactions.csv", """"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
"09/26/2001","Buy","MSFT","MICROSOFT CORP","100","$50.27","$4.95","-$5,031.95"
"09/27/2001","Qualified Dividend","KO","COCA-COLA CO","","","","$0.62"
"09/28/2001","Sell","MSFT","MICROSOFT CORP","50","$51.17","$4.95","$2,553.55"
""")
    # A broker's positions export: a date, descriptions, a price and a market value beside the
    # quantities, thousands separators in quoted cells.
    write("positions_with_extras.csv", """Date,Symbol,Description,Quantity,Price,Market Value
2001-09-28,MSFT,MICROSOFT CORP,"1,200",51.17,"$61,404.00"
2001-09-28,KO,COCA-COLA CO,300,46.85,"$14,055.00"
2001-09-28,IBM,INTL BUSINESS MACHINES,150,91.72,"$13,758.00"
""")
    # A price file with a dividend row whose price cells are empty, as broker and some vendor
    # downloads mix them in.
    rows = market_rows("msft_2000-09_2001-09_ohlcv.csv", 3, skip=246)
    text = "Date,Open,High,Low,Close,Volume\n"
    for r in rows[:2]:
        text += f"{r['date']},{r['open']},{r['high']},{r['low']},{r['close']},{r['volume']}\n"
    text += f"{rows[2]['date']},,,,,\n"
    write("msft_with_dividend_row.csv", text)


def make_quoted():
    # Semicolons, decimal commas, every cell quoted and a note whose quoted text spans two lines
    # (as spreadsheet programs write a cell with a line break).
    rows = market_rows("msft_2000-09_2001-09_ohlcv.csv", 6)
    text = '"date";"open";"high";"low";"close";"volume";"note"\n'
    for i, r in enumerate(rows):
        note = "split\nadjusted" if i == 2 else ""
        cells = [r["date"]] + [r[k].replace(".", ",") for k in ("open", "high", "low", "close")]
        cells += [r["volume"], note]
        text += ";".join('"' + c + '"' for c in cells) + "\n"
    write("msft_quoted_semicolon_multiline.csv", text)
    # Text after a closing quote: "60.6"25 is not 60.6; line 3, column 5.
    text = "date,open,high,low,close,volume\n"
    for i, r in enumerate(rows[:3]):
        close = f'"{r["close"][:4]}"{r["close"][4:]}' if i == 1 else r["close"]
        text += f"{r['date']},{r['open']},{r['high']},{r['low']},{close},{r['volume']}\n"
    write("msft_text_after_quote.csv", text)


def make_impossible():
    # A vendor export that writes 0.00 for a session without trades, a row with the high and the
    # low swapped, a negative volume and a negative close: those rows are refused, the others kept.
    rows = market_rows("msft_2000-09_2001-09_ohlcv.csv", 8, skip=20)
    text = "Date,Open,High,Low,Close,Volume\n"
    for i, r in enumerate(rows):
        o, h, l, c, v = r["open"], r["high"], r["low"], r["close"], r["volume"]
        if i == 2:
            o = h = l = c = "0.00"
            v = "0"
        elif i == 4:
            h, l = l, h
        elif i == 5:
            v = "-" + v
        elif i == 6:
            c = "-" + c
        text += f"{r['date']},{o},{h},{l},{c},{v}\n"
    write("msft_impossible_values.csv", text)


def make_utf16():
    # A spreadsheet's "Unicode Text" save: UTF-16 little-endian with its byte-order mark, tabs,
    # CRLF line ends, and a column name that is not ASCII.
    rows = market_rows("msft_2000-09_2001-09_ohlcv.csv", 6, skip=40)
    text = "Date\tOpen\tHigh\tLow\tClose\tVolume\tNotiz für Käufer\r\n"
    for r in rows:
        text += "\t".join([r["date"], r["open"], r["high"], r["low"], r["close"], r["volume"], "—"])
        text += "\r\n"
    with open(os.path.join(HERE, "msft_unicode_text_utf16.csv"), "wb") as f:
        f.write(b"\xff\xfe" + text.encode("utf-16-le"))


# ---------------------------------------------------------------------------------------------
# Part 2: what a correct import stores, read with the standard library alone
# ---------------------------------------------------------------------------------------------

def number(text, decimal_comma=False, suffix=False):
    text = text.strip().replace("$", "")
    if text == "":
        return None
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    scale = 1
    if suffix and text[-1] in "KMB":
        scale = {"K": 1000, "M": 10 ** 6, "B": 10 ** 9}[text[-1]]
        text = text[:-1]
    return decimal.Decimal(text) * scale


def fmt(value):
    if value is None:
        return ""
    if value == value.to_integral_value() and abs(value) < 10 ** 15:
        return str(int(value))
    return repr(float(value))


def read_rows(name, delimiter=",", skip=0, encoding=None):
    with open(os.path.join(HERE, name), newline="", encoding=encoding) as f:
        rows = list(csv.reader(f, delimiter=delimiter))
    return rows[0], rows[1 + skip:]


def bars_from(name, symbol, date_of, columns, delimiter=",", decimal_comma=False, suffix=None,
              skip=0, encoding=None):
    header, rows = read_rows(name, delimiter, skip, encoding)
    bars = []
    for row in rows:
        cells = dict(zip(header, row))
        values = [number(cells[c], decimal_comma, c == suffix) if c else None for c in columns]
        bars.append((symbol, date_of(cells), *values))
    return bars


def intraday_days(bars_with_time):
    days = {}
    for symbol, day, when, o, h, l, c, v in bars_with_time:
        days.setdefault((symbol, day), []).append((when, o, h, l, c, v))
    out = []
    for (symbol, day), rows in days.items():
        rows.sort()
        out.append((symbol, day, rows[0][1], max(r[2] for r in rows), min(r[3] for r in rows),
                    rows[-1][4], sum(r[5] for r in rows)))
    return out


def write_expected(name, bars):
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)
    with open(os.path.join(HERE, "expected", name), "w") as f:
        f.write("symbol,date,open,high,low,close,volume\n")
        for bar in sorted(bars, key=lambda b: (b[0], b[1])):
            f.write(",".join([bar[0], bar[1].isoformat()] + [fmt(v) for v in bar[2:]]) + "\n")


def make_expected():
    ohlcv = ["Open", "High", "Low", "Close", "Volume"]
    write_expected("SPX Historical Data.csv", bars_from(
        "SPX Historical Data.csv", "SPX",
        lambda c: dt.datetime.strptime(c["Date"], "%b %d, %Y").date(),
        ["Open", "High", "Low", "Price", "Vol."], suffix="Vol."))

    header, rows = read_rows("yfinance_msft.csv", skip=2)
    write_expected("yfinance_msft.csv", [
        ("MSFT", dt.date.fromisoformat(r[0]), *(number(r[header.index(k)]) for k in ohlcv))
        for r in rows])
    _, rows = read_rows("yfinance_ibm_msft_closes.csv", skip=2)
    write_expected("yfinance_ibm_msft_closes.csv",
                   [(s, dt.date.fromisoformat(r[0]), None, None, None, number(r[i]), None)
                    for r in rows for i, s in ((1, "IBM"), (2, "MSFT"))])

    write_expected("daily_IBM.csv", bars_from(
        "daily_IBM.csv", "IBM", lambda c: dt.date.fromisoformat(c["timestamp"]),
        ["open", "high", "low", "close", "volume"]))
    write_expected("KO_excel_d-mmm-yy.csv", bars_from(
        "KO_excel_d-mmm-yy.csv", "KO", lambda c: dt.datetime.strptime(c["Date"], "%d-%b-%y").date(),
        [None, None, None, "Close", None]))
    write_expected("GE_eu_dash.csv", bars_from(
        "GE_eu_dash.csv", "GE", lambda c: dt.datetime.strptime(c["Date"], "%d-%m-%Y").date(),
        [None, None, None, "Close", None], delimiter=";", decimal_comma=True))
    write_expected("MSFT.USUSD_Candlestick_1_D_BID_2001.csv", bars_from(
        "MSFT.USUSD_Candlestick_1_D_BID_2001.csv", "MSFT",
        lambda c: dt.datetime.strptime(c["Gmt time"], "%d.%m.%Y %H:%M:%S.%f").date(), ohlcv))
    write_expected("^spx_d.csv", bars_from(
        "^spx_d.csv", "^SPX", lambda c: dt.date.fromisoformat(c["Date"]),
        ["Open", "High", "Low", "Close", None]))

    header, rows = read_rows("msft_intraday_hourly.csv")
    write_expected("msft_intraday_hourly.csv", intraday_days([
        ("MSFT", dt.date.fromisoformat(r[0]), dt.time.fromisoformat(r[1]),
         *(number(x) for x in r[2:])) for r in rows]))
    header, rows = read_rows("msft_intraday_yfinance_newest_first.csv")
    stamps = [dt.datetime.fromisoformat(r[0]) for r in rows]
    write_expected("msft_intraday_yfinance_newest_first.csv", intraday_days([
        ("MSFT", s.date(), s.time(), *(number(x) for x in r[1:])) for s, r in zip(stamps, rows)]))

    write_expected("msft_with_dividend_row.csv", bars_from(
        "msft_with_dividend_row.csv", "MSFT", lambda c: dt.date.fromisoformat(c["Date"]), ohlcv))
    write_expected("msft_quoted_semicolon_multiline.csv", bars_from(
        "msft_quoted_semicolon_multiline.csv", "MSFT", lambda c: dt.date.fromisoformat(c["date"]),
        ["open", "high", "low", "close", "volume"], delimiter=";", decimal_comma=True))

    write_expected("msft_unicode_text_utf16.csv", bars_from(
        "msft_unicode_text_utf16.csv", "MSFT", lambda c: dt.date.fromisoformat(c["Date"]), ohlcv,
        delimiter="\t", encoding="utf-16"))

    # Only the rows whose prices are positive, whose volume is not negative and whose high is not
    # below the low.
    def possible(bar):
        _, _, o, h, l, c, v = bar
        prices = [x for x in (o, h, l, c) if x is not None]
        return (all(x > 0 for x in prices) and (v is None or v >= 0)
                and (h is None or l is None or h >= l))
    write_expected("msft_impossible_values.csv", [b for b in bars_from(
        "msft_impossible_values.csv", "MSFT", lambda c: dt.date.fromisoformat(c["Date"]), ohlcv)
        if possible(b)])

    # Holdings: symbol,quantity.
    header, rows = read_rows("positions_with_extras.csv")
    with open(os.path.join(HERE, "expected", "positions_with_extras.csv"), "w") as f:
        f.write("symbol,quantity\n")
        for r in rows:
            f.write(f"{r[1]},{fmt(number(r[3]))}\n")


make_investing()
make_yfinance()
make_alpha_vantage()
make_date_formats()
make_old_years()
make_intraday()
make_broker()
make_quoted()
make_impossible()
make_utf16()
make_expected()
