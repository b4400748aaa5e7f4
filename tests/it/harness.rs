//! Test harness: a work folder with an input tree, unit workbooks built in
//! code (rust_xlsxwriter), and ways to run the library or the binary on it.

use std::path::{Path, PathBuf};
use std::process::Command;

use annual_report::diag::{Diagnostic, Severity};
use annual_report::inputs::Inputs;
use annual_report::validate::{read_year, ReadOptions, Status, YearReading};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

pub const CATALOGUE: &str = r#"
organisation = "测试工委"
title = "测试工作报告"

[[programmes]]
id = "fitness"
name = "送健身器材"
group = "五送五有"

  [[programmes.metrics]]
  id = "fitness.units"
  name = "基层工会"
  unit = "个"

  [[programmes.metrics]]
  id = "fitness.items"
  name = "健身器材"
  unit = "件"
  targets = { 2016 = 180 }

  [[programmes.metrics]]
  id = "fitness.funds"
  name = "投入资金"
  unit = "万元"
  decimals = 2

[[programmes]]
id = "members"
name = "会员"

  [[programmes.metrics]]
  id = "members.count"
  name = "在册会员"
  unit = "人"
  aggregate = "last"
"#;

pub const UNITS: &str = "单位代码,单位名称,类别\nu001,测试一单位工会,直属工会\nu002,测试二单位工会,直属工会\nu003,测试三单位工会,机关工会\nu004,测试四单位工会,机关工会\n";

/// A temporary folder holding `input/` (catalogue, registry, year folders)
/// and room for `output/`.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        let w = Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        w.write("input/report.toml", CATALOGUE.as_bytes());
        w.write("input/units.csv", UNITS.as_bytes());
        std::fs::create_dir_all(w.input().join("2015")).unwrap();
        w
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn input(&self) -> PathBuf {
        self.path().join("input")
    }

    pub fn output(&self) -> PathBuf {
        self.path().join("output")
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Put a form into `input/<rel>`.
    pub fn form(&self, rel: &str, form: &Form) {
        self.write(&format!("input/{rel}"), &form.to_xlsx());
    }

    /// Copy a committed oddity into `input/<rel>`.
    pub fn oddity(&self, name: &str, rel: &str) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/oddities")
            .join(name);
        self.write(&format!("input/{rel}"), &std::fs::read(src).unwrap());
    }

    /// Read a year through the library, as `validate` does.
    pub fn read(&self, year: i32) -> Reading {
        let inputs = Inputs::load(&self.input()).expect("inputs load");
        let options = ReadOptions {
            progress: false,
            due_through: None,
            isolation: None,
        };
        let reading = read_year(&inputs.dir, year, &inputs.catalogue, &inputs.registry, &options).expect("year reads");
        Reading { inputs, reading }
    }

    /// Run the binary in this folder, as a user with RUST_BACKTRACE set
    /// would (whatever the test run's own environment): what the run says
    /// must not depend on it (a child's backtrace once hid why it died).
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_annual-report"))
            .args(args)
            .env("RUST_BACKTRACE", "1")
            .current_dir(self.path())
            .output()
            .expect("binary runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn read_output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.output().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub struct Reading {
    pub inputs: Inputs,
    pub reading: YearReading,
}

impl Reading {
    pub fn diags(&self) -> Vec<Diagnostic> {
        self.reading.diagnostics().into_iter().cloned().collect()
    }

    /// The one diagnostic with this code (fails if there are none or several).
    pub fn one(&self, code: &str) -> Diagnostic {
        let found: Vec<Diagnostic> = self.diags().into_iter().filter(|d| d.code == code).collect();
        assert_eq!(found.len(), 1, "expected one `{code}`, got: {:#?}", self.diags());
        found.into_iter().next().unwrap()
    }

    pub fn errors(&self) -> Vec<Diagnostic> {
        self.diags()
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }

    pub fn status(&self, unit: &str) -> Status {
        let i = self
            .inputs
            .registry
            .units
            .iter()
            .position(|u| u.code == unit)
            .expect("registered");
        self.reading.selection.units[i].status
    }

    /// Counted figures of a unit as (metric id, month, value), sorted.
    pub fn figures(&self, unit: &str) -> Vec<(String, Option<u8>, f64)> {
        let mut v: Vec<_> = self
            .reading
            .counted()
            .filter(|s| s.info.unit.as_deref() == Some(unit))
            .flat_map(|s| s.figures.iter())
            .map(|f| {
                (
                    self.inputs.catalogue.metrics[f.metric as usize].id.clone(),
                    f.month,
                    f.value,
                )
            })
            .collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v
    }
}

/// A receipt's sheet as text, one `|`-joined line per row.
pub fn receipt_rows(path: &Path) -> Vec<String> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let range = book.worksheet_range("回执").unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

/// Every file under `dir`, by its path relative to `dir`.
pub fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                annual_report::ingest::discover::relative(e.path(), dir),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Assert a diagnostic's place and owner.
pub fn assert_at(d: &Diagnostic, unit: Option<&str>, file: &str, sheet: &str, cell: &str) {
    assert_eq!(d.unit_code.as_deref(), unit, "unit of {d:#?}");
    assert_eq!(d.file, file, "file of {d:#?}");
    assert_eq!(d.sheet.as_deref(), Some(sheet), "sheet of {d:#?}");
    assert_eq!(d.cell.map(|c| c.a1()).as_deref(), Some(cell), "cell of {d:#?}");
}

/// A cell value as a unit might type it.
#[derive(Debug, Clone)]
pub enum V {
    N(f64),
    T(&'static str),
    Date(u16, u8, u8),
    /// A formula and the cached result Excel would store.
    F(&'static str, &'static str),
    /// TRUE or FALSE.
    B(bool),
    /// A time of day with no date (h, m).
    Time(u16, u8),
}

/// The header columns of a form, in the order they appear.
pub const DEFAULT_COLUMNS: [&str; 18] = [
    "项目",
    "指标",
    "指标代码",
    "计量单位",
    "1月",
    "2月",
    "3月",
    "4月",
    "5月",
    "6月",
    "7月",
    "8月",
    "9月",
    "10月",
    "11月",
    "12月",
    "全年",
    "备注",
];

/// A unit workbook as `annual-report forms` lays it out, with knobs for the
/// ways real ones differ.
#[derive(Debug, Clone)]
pub struct Form {
    pub info: Vec<(String, Option<V>)>,
    pub columns: Vec<String>,
    pub two_row_header: bool,
    /// Title rows above the header.
    pub title_rows: u32,
    /// (code, [(column label, value)]) — code "" for a row without one.
    pub rows: Vec<(String, Vec<(String, V)>)>,
    /// Raw cells written last: (sheet, A1, value).
    pub cells: Vec<(String, String, V)>,
    pub hidden_rows: Vec<u32>,
    pub extra_sheets: Vec<(String, bool)>,
}

impl Form {
    /// A form of unit `code` for 2015, year end, filed 2016-01-10.
    pub fn new(code: &str) -> Form {
        Form {
            info: vec![
                ("单位代码".into(), Some(V::T(leak(code)))),
                ("单位名称".into(), None),
                ("年度".into(), Some(V::N(2015.0))),
                ("截至月份".into(), Some(V::N(12.0))),
                ("填报日期".into(), Some(V::Date(2016, 1, 10))),
                ("填报人".into(), Some(V::T("张三"))),
                ("联系电话".into(), Some(V::T("024-86000000"))),
            ],
            columns: DEFAULT_COLUMNS.iter().map(|s| s.to_string()).collect(),
            two_row_header: false,
            title_rows: 2,
            rows: Vec::new(),
            cells: Vec::new(),
            hidden_rows: Vec::new(),
            extra_sheets: Vec::new(),
        }
    }

    pub fn set(mut self, label: &str, value: Option<V>) -> Form {
        match self.info.iter_mut().find(|(l, _)| l == label) {
            Some(slot) => slot.1 = value,
            None => self.info.push((label.into(), value)),
        }
        self
    }

    pub fn without(mut self, label: &str) -> Form {
        self.info.retain(|(l, _)| l != label);
        self
    }

    /// A metric row: (column label, value) pairs, e.g. `("3月", V::N(5.0))`.
    pub fn row(mut self, code: &str, cells: &[(&str, V)]) -> Form {
        self.rows.push((
            code.into(),
            cells.iter().map(|(c, v)| (c.to_string(), v.clone())).collect(),
        ));
        self
    }

    pub fn cell(mut self, sheet: &str, a1: &str, v: V) -> Form {
        self.cells.push((sheet.into(), a1.into(), v));
        self
    }

    /// Row (0-based) of the first data row.
    pub fn first_data_row(&self) -> u32 {
        self.title_rows + if self.two_row_header { 2 } else { 1 }
    }

    pub fn to_xlsx(&self) -> Vec<u8> {
        let mut book = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let info = book.add_worksheet();
        info.set_name("基本信息").unwrap();
        for (r, (label, value)) in self.info.iter().enumerate() {
            info.write_string(r as u32, 0, label).unwrap();
            if let Some(v) = value {
                put(info, r as u32, 1, v, &date);
            }
        }
        let data = book.add_worksheet();
        data.set_name("数据").unwrap();
        if self.title_rows > 0 {
            data.write_string(0, 0, "2015年度工会工作数据表").unwrap();
        }
        if self.title_rows > 1 {
            data.write_string(1, 0, "表号：省工统1表").unwrap();
        }
        let h = self.title_rows;
        let bold = Format::new().set_bold();
        for (c, label) in self.columns.iter().enumerate() {
            let c = c as u16;
            let is_month = label.ends_with('月') && label != "全年";
            if self.two_row_header && is_month {
                data.write_string(h + 1, c, label).unwrap();
            } else if self.two_row_header {
                data.merge_range(h, c, h + 1, c, label, &bold).unwrap();
            } else {
                data.write_string(h, c, label).unwrap();
            }
        }
        if self.two_row_header {
            let months: Vec<u16> = (0..self.columns.len())
                .filter(|&c| self.columns[c].ends_with('月'))
                .map(|c| c as u16)
                .collect();
            if let (Some(first), Some(last)) = (months.first(), months.last()) {
                data.merge_range(h, *first, h, *last, "月份", &bold).unwrap();
            }
        }
        let first = self.first_data_row();
        for (i, (code, cells)) in self.rows.iter().enumerate() {
            let r = first + i as u32;
            if let Some(c) = self.col("指标代码") {
                if !code.is_empty() {
                    data.write_string(r, c, code).unwrap();
                }
            }
            for (label, v) in cells {
                let c = self.col(label).unwrap_or_else(|| panic!("no column {label}"));
                put(data, r, c, v, &date);
            }
        }
        for r in &self.hidden_rows {
            data.set_row_hidden(*r).unwrap();
        }
        for (name, hidden) in &self.extra_sheets {
            let s = book.add_worksheet();
            s.set_name(name).unwrap();
            s.write_string(0, 0, "说明").unwrap();
            s.set_hidden(*hidden);
        }
        for (sheet, a1, v) in &self.cells {
            let (r, c) = parse_a1(a1);
            let ws = book.worksheet_from_name(sheet).unwrap();
            put(ws, r, c, v, &date);
        }
        book.save_to_buffer().unwrap()
    }

    pub fn col(&self, label: &str) -> Option<u16> {
        self.columns.iter().position(|c| c == label).map(|c| c as u16)
    }
}

fn put(ws: &mut Worksheet, r: u32, c: u16, v: &V, date: &Format) {
    match v {
        V::N(n) => ws.write_number(r, c, *n).map(|_| ()),
        V::T(s) => ws.write_string(r, c, *s).map(|_| ()),
        V::Date(y, m, d) => ws
            .write_datetime_with_format(r, c, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), date)
            .map(|_| ()),
        V::F(f, result) => ws.write_formula(r, c, Formula::new(*f).set_result(*result)).map(|_| ()),
        V::B(b) => ws.write_boolean(r, c, *b).map(|_| ()),
        V::Time(h, m) => ws
            .write_datetime_with_format(
                r,
                c,
                ExcelDateTime::from_hms(*h, *m, 0).unwrap(),
                &Format::new().set_num_format("hh:mm"),
            )
            .map(|_| ()),
    }
    .unwrap();
}

/// `G12` → (11, 6).
pub fn parse_a1(a1: &str) -> (u32, u16) {
    let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row: u32 = a1[letters.len()..].parse().unwrap();
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + (b - b'A' + 1) as u32) - 1;
    (row - 1, col as u16)
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

impl Workdir {
    /// A work folder holding a copy of the repository's sample `input/`.
    pub fn sample() -> Workdir {
        let w = Workdir::new();
        std::fs::remove_dir_all(w.input()).unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            let to = w.input().join(entry.path().strip_prefix(&src).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        w
    }

    /// An output CSV as header-keyed rows.
    pub fn csv_rows(&self, rel: &str) -> Vec<std::collections::BTreeMap<String, String>> {
        let text = self.read_output(rel);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        reader
            .records()
            .map(|r| {
                header
                    .iter()
                    .cloned()
                    .zip(r.unwrap().iter().map(str::to_owned))
                    .collect()
            })
            .collect()
    }
}

/// A form whose formulas lost their stored results, as openpyxl and most
/// web exports write them: `<f>…</f>` with no value.
pub fn without_formula_results(xlsx: &[u8]) -> Vec<u8> {
    rewrite_zip(xlsx, |name, text| {
        if !name.starts_with("xl/worksheets/") {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(start) = rest.find("<c ") {
            out.push_str(&rest[..start]);
            let end = start + rest[start..].find('>').unwrap() + 1;
            let open = &rest[start..end];
            if open.ends_with("/>") {
                out.push_str(open);
                rest = &rest[end..];
                continue;
            }
            let close = end + rest[end..].find("</c>").unwrap();
            let body = &rest[end..close];
            if body.contains("<f") {
                // Drop the type (t="str", t="e") and the value.
                let open = match open.find(" t=\"") {
                    Some(t) => {
                        let q = t + 4 + open[t + 4..].find('"').unwrap() + 1;
                        format!("{}{}", &open[..t], &open[q..])
                    }
                    None => open.to_owned(),
                };
                let body = match (body.find("<v>"), body.find("</v>")) {
                    (Some(v0), Some(v1)) => format!("{}{}", &body[..v0], &body[v1 + 4..]),
                    _ => body.replace("<v/>", ""),
                };
                out.push_str(&open);
                out.push_str(&body);
            } else {
                out.push_str(&rest[start..close]);
            }
            out.push_str("</c>");
            rest = &rest[close + 4..];
        }
        out.push_str(rest);
        out
    })
}

/// Rewrite every text member of a zip (xlsx, ods) through `edit`.
pub fn rewrite_zip(bytes: &[u8], edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        let data = match String::from_utf8(data) {
            Ok(text) if name.ends_with(".xml") => edit(&name, text).into_bytes(),
            Ok(text) => text.into_bytes(),
            Err(e) => e.into_bytes(),
        };
        // An .ods's mimetype must stay first and stored.
        let options = if name == "mimetype" {
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
        } else {
            zip::write::SimpleFileOptions::default()
        };
        out.start_file(name, options).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// LibreOffice's `soffice`, where installed. Missing, it is a failure when
/// CI=true (a test that needs it must not pass without it), and a printed
/// skip otherwise.
pub fn soffice() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("soffice"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "soffice (LibreOffice) is needed by this test and is not installed"
        );
        eprintln!("soffice not installed: LibreOffice test not run");
    }
    found
}

/// Open `bytes` (a workbook called `name`) in LibreOffice and save it as
/// `format` (ods, xls, xlsx): LibreOffice calculates every formula without a
/// stored result and writes the file its own way.
pub fn saved_by_libreoffice(soffice: &Path, bytes: &[u8], name: &str, format: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src").join(name);
    std::fs::create_dir_all(src.parent().unwrap()).unwrap();
    std::fs::write(&src, bytes).unwrap();
    let out = dir.path().join("out");
    let run = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args(["--headless", "--calc", "--convert-to", format, "--outdir"])
        .arg(&out)
        .arg(&src)
        .output()
        .expect("soffice runs");
    assert!(
        run.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stem = Path::new(name).file_stem().unwrap().to_string_lossy();
    std::fs::read(out.join(format!("{stem}.{format}"))).unwrap_or_else(|e| {
        panic!(
            "soffice wrote no {format}: {e}; {}",
            String::from_utf8_lossy(&run.stdout)
        )
    })
}
