#!/usr/bin/python3
"""make_fixtures.py -- writes the .xlsx fixtures of tests/unit/test_xlsx.c
by hand (zipfile + XML text), the way spreadsheet programs save them, each
from its CSV twin in tests/data: shared strings, inline strings with a
prefixed namespace and rich-text runs, gaps between cells and rows, a merged
two-row Chinese header with units, a second sheet, numbers as numbers (one
saved with Excel's 17 digits), booleans; and the refusals (an .xls header, a
sheet past the size bound, a merge past the cell bound).

    /usr/bin/python3 tests/data/xlsx/make_fixtures.py   (rewrites the files beside it)
"""
import csv
import io
import os
import re
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG = 'http://schemas.openxmlformats.org/package/2006/relationships'
NUM = re.compile(r'^-?[0-9]+(\.[0-9]+)?$')


def col_name(c):
    s = ''
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def read_csv(name):
    with open(os.path.join(DATA, name), encoding='utf-8-sig', newline='') as f:
        return [row for row in csv.reader(f) if any(x.strip() for x in row)]


class Book:
    """A workbook being written: shared strings and sheets."""

    def __init__(self):
        self.sst, self.index, self.sheets = [], {}, []

    def shared(self, text):
        if text not in self.index:
            self.index[text] = len(self.sst)
            self.sst.append(text)
        return self.index[text]

    def cell(self, ref, value, style='shared'):
        """One <c> element: numbers as numbers, text shared or inline."""
        if isinstance(value, bool):
            return '<c r="%s" t="b"><v>%d</v></c>' % (ref, value)
        if NUM.match(value) and not (len(value) > 1 and value[0] == '0' and value[1] != '.') and len(value) < 16:
            v = '4200.5000000000000' if value == '4200.5' else value   # Excel's 17 digits
            return '<c r="%s" s="1"><v>%s</v></c>' % (ref, v)
        if style == 'inline':
            return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(value))
        return '<c r="%s" t="s"><v>%d</v></c>' % (ref, self.shared(value))

    def sheet(self, name, rows, style='shared', merges=(), first_row=1, gaps=False):
        """rows: lists of values; gaps: a blank row after the header and no
        element for an empty cell."""
        out, r = [], first_row
        for i, row in enumerate(rows):
            cells = []
            for j, v in enumerate(row):
                if v == '' and gaps:
                    continue
                if v == '' and style == 'inline':
                    cells.append('<c r="%s%d"/>' % (col_name(j + 1), r))
                    continue
                cells.append(self.cell(col_name(j + 1) + str(r), v, style))
            out.append('<row r="%d">%s</row>' % (r, ''.join(cells)))
            r += 2 if gaps and i == 0 else 1
        xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="%s" xmlns:r="%s">'
               '<sheetData>%s</sheetData>' % (NS, RNS, ''.join(out)))
        if merges:
            xml += '<mergeCells count="%d">%s</mergeCells>' % (
                len(merges), ''.join('<mergeCell ref="%s"/>' % m for m in merges))
        self.sheets.append((name, xml + '</worksheet>'))

    def save(self, name, transform=None):
        parts = {
            '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>' % PKG,
        }
        sheets = ''.join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(n), i + 1, i + 1)
                         for i, (n, _) in enumerate(self.sheets))
        parts['xl/workbook.xml'] = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s">'
                                    '<sheets>%s</sheets></workbook>' % (NS, RNS, sheets))
        rels = ''.join('<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>'
                       % (i + 1, RNS, i + 1) for i in range(len(self.sheets)))
        rels += '<Relationship Id="rId99" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % RNS
        parts['xl/_rels/workbook.xml.rels'] = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">%s</Relationships>' % (PKG, rels)
        for i, (_, xml) in enumerate(self.sheets):
            parts['xl/worksheets/sheet%d.xml' % (i + 1)] = xml
        parts['xl/sharedStrings.xml'] = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>'
                                         % (NS, len(self.sst), len(self.sst),
                                            ''.join('<si><t xml:space="preserve">%s</t></si>' % escape(s) for s in self.sst)))
        if transform:
            parts = transform(parts)
        with zipfile.ZipFile(os.path.join(HERE, name), 'w', zipfile.ZIP_DEFLATED) as z:
            for p, text in parts.items():
                zi = zipfile.ZipInfo(p, date_time=(2025, 9, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(zi, text)


def inline_prefixed(parts):
    """Every element with an x: prefix, cells without r, a header split into
    rich-text runs with a phonetic run that must be left out."""
    s = parts['xl/worksheets/sheet1.xml']
    s = s.replace('<c r="A1" t="inlineStr"><is><t>school_code</t></is></c>',
                  '<c r="A1" t="inlineStr"><is><r><t>school_</t></r><r><rPr/><t>code</t></r><rPh sb="0" eb="1"><t>ガッコウ</t></rPh></is></c>')
    s = re.sub(r' r="[A-Z]+[0-9]+"', '', s)
    s = re.sub(r'<(/?)([a-zA-Z])', r'<\1x:\2', s).replace('xmlns="', 'xmlns:x="')
    parts['xl/worksheets/sheet1.xml'] = s
    return parts


def main():
    en = read_csv('submission_en.csv')
    b = Book()
    b.sheet('Sheet1', en)
    b.save('submission_shared.xlsx')

    b = Book()
    b.sheet('Sheet1', en, style='inline')
    b.save('submission_inline.xlsx', inline_prefixed)

    # A title row merged across the columns above the header.
    b = Book()
    b.sheet('Sheet1', [['德城区义务教育学校基本情况统计表（2025学年）']] + en, merges=['A1:AF1'])
    b.save('submission_title.xlsx')

    b = Book()
    b.sheet('说明', [['请在“数据”表填写；fill in the sheet 数据']])
    b.sheet('数据', en, gaps=True)
    b.save('submission_two_sheets.xlsx')

    # The Chinese twin with a merged two-row header: 学年 and 学校标识码 and
    # the whole-school columns merged down, 小学 and 初中 merged across their
    # eight columns, units in brackets.
    zh = read_csv('submission_zh_bom.csv')
    top, second, merges = [], [], []
    units = {'体育运动场馆面积': '（平方米）', '教学仪器设备值': '(元)', '在校生数': '（人）'}
    for j, h in enumerate(zh[0]):
        c = col_name(j + 1)
        stage = next((s for s in ('小学', '初中') if h.startswith(s) and j >= 2 and j < 18), None)
        if stage:
            label = h[2:].lstrip('_- ：')
            top.append(stage if (j - 2) % 8 == 0 else '')
            second.append(label + units.get(label, ''))
            if (j - 2) % 8 == 0:
                merges.append('%s1:%s1' % (c, col_name(j + 8)))
        else:
            top.append(h + units.get(h, ''))
            second.append('')
            merges.append('%s1:%s2' % (c, c))
    b = Book()
    b.sheet('Sheet1', [top, second] + zh[1:], merges=merges)
    b.save('submission_merged.xlsx')

    # The registry: booleans as booleans.
    schools = read_csv('schools.csv')
    rows = [schools[0]] + [r[:5] + [r[5] == '1', r[6] == '1'] + r[7:] for r in schools[1:]]
    b = Book()
    b.sheet('Sheet1', rows)
    b.save('schools.xlsx')
    b = Book()
    b.sheet('Sheet1', read_csv('counties.csv'))
    b.save('counties.xlsx')

    # Numbers as Excel saves them: large, small, 17 digits, a boolean, an error.
    b = Book()
    b.sheet('Sheet1', [['n'] * 10])
    b.save('numbers.xlsx', lambda p: dict(p, **{'xl/worksheets/sheet1.xml': p['xl/worksheets/sheet1.xml'].replace(
        '</sheetData>', '<row r="2"><c r="A2"><v>2137020010</v></c><c r="B2"><v>1.5E-5</v></c>'
        '<c r="C2"><v>222.38999999999999</v></c><c r="D2"><v>0.30000000000000004</v></c><c r="E2" t="n"><v>-7</v></c>'
        '<c r="F2"><v>1E+25</v></c><c r="G2"><v>1.2345678901234568E+20</v></c><c r="H2" t="b"><v>1</v></c>'
        '<c r="I2" t="e"><v>#DIV/0!</v></c><c r="J2"><f>A2/10</f><v>0.1</v></c></row></sheetData>')}))

    # Refusals: an .xls (an OLE2 compound file's header), a sheet of 65 MiB
    # once inflated, and a merge whose fill passes the cell bound.
    with open(os.path.join(HERE, 'old.xls'), 'wb') as f:
        f.write(bytes.fromhex('D0CF11E0A1B11AE1') + bytes(504))
    b = Book()
    b.sheet('Sheet1', [['school_code', 'period']])
    b.save('too_large.xlsx', lambda p: dict(p, **{'xl/worksheets/sheet1.xml': p['xl/worksheets/sheet1.xml'].replace(
        '<sheetData>', '<sheetData>' + ' ' * (65 * 1024 * 1024))}))
    b = Book()
    b.sheet('Sheet1', [['school_code']] + [[]] * 197 + [[''] * 16383 + ['x']], merges=['A1:XFD200'], gaps=True)
    b.save('too_many_cells.xlsx')


main()
