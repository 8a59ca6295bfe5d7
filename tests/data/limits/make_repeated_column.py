#!/usr/bin/python3
# Writes repeated-column.csv: the date, SPI, BASI and INDU columns of the first 60 rows of
# ../market/spisector_prices.csv, with INDU's header renamed SPI, so that the file holds real
# prices under a column name that appears twice; and latin1-header.csv: the same rows with the
# headers SPI, BASI and "Indústria" written in Latin-1 (a byte 0xFA, not UTF-8). Run from this
# folder:
#   /usr/bin/python3 make_repeated_column.py
import csv
import os

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, '..', 'market', 'spisector_prices.csv'), newline='') as f:
    rows = list(csv.reader(f))
with open(os.path.join(here, 'repeated-column.csv'), 'w', newline='') as f:
    out = csv.writer(f, lineterminator='\n')
    out.writerow(['date', 'SPI', 'BASI', 'SPI'])
    for row in rows[1:61]:
        out.writerow(row[:4])
with open(os.path.join(here, 'latin1-header.csv'), 'wb') as f:
    f.write('date,SPI,BASI,Ind\u00fastria\n'.encode('latin-1'))
    for row in rows[1:61]:
        f.write((','.join(row[:4]) + '\n').encode('ascii'))
