//! Formula text as the user sees it in any program: A1 references, `,`
//! between arguments, no leading `=`. An .ods stores
//! `of:=SUM([.E7:.P7])`; Excel, WPS and LibreOffice all show `SUM(E7:P7)`.

/// `of:=IF(COUNT([.E7:.P7])=0;"";SUM([.E7:.P7]))` → `IF(COUNT(E7:P7)=0,"",SUM(E7:P7))`;
/// an .xlsx/.xls formula (already A1) loses only a leading `=`.
pub fn as_user_sees_it(formula: &str) -> String {
    let f = formula.trim();
    let Some(odf) = f.strip_prefix("of:").or_else(|| f.strip_prefix("oooc:")) else {
        return f.strip_prefix('=').unwrap_or(f).to_owned();
    };
    let odf = odf.strip_prefix('=').unwrap_or(odf);
    let mut out = String::with_capacity(odf.len());
    let mut chars = odf.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                // A string literal, copied as it is ("" is an escaped quote).
                out.push(c);
                while let Some(s) = chars.next() {
                    out.push(s);
                    if s == '"' {
                        if chars.peek() == Some(&'"') {
                            out.push(chars.next().expect("peeked"));
                        } else {
                            break;
                        }
                    }
                }
            }
            '[' => {
                let mut reference = String::new();
                for r in chars.by_ref() {
                    if r == ']' {
                        break;
                    }
                    reference.push(r);
                }
                out.push_str(&a1_reference(&reference));
            }
            ';' => out.push(','),
            _ => out.push(c),
        }
    }
    out
}

/// `.E7:.P7` → `E7:P7`; `$Sheet1.A1` → `Sheet1!A1`; `'数据'.$E$7` → `'数据'!$E$7`.
fn a1_reference(reference: &str) -> String {
    reference.split(':').map(a1_part).collect::<Vec<_>>().join(":")
}

fn a1_part(part: &str) -> String {
    // The cell follows the last dot that is outside a quoted sheet name.
    let mut in_quotes = false;
    let mut dot = None;
    for (i, c) in part.char_indices() {
        match c {
            '\'' => in_quotes = !in_quotes,
            '.' if !in_quotes => dot = Some(i),
            _ => {}
        }
    }
    match dot {
        Some(0) => part[1..].to_owned(),
        Some(i) => {
            let sheet = part[..i].trim_start_matches('$');
            format!("{sheet}!{}", &part[i + 1..])
        }
        None => part.to_owned(),
    }
}

/// Functions whose result is always a number (or an error), never text.
const NUMERIC_FUNCTIONS: [&str; 18] = [
    "SUM",
    "SUMIF",
    "SUMIFS",
    "SUMPRODUCT",
    "COUNT",
    "COUNTA",
    "COUNTIF",
    "COUNTIFS",
    "AVERAGE",
    "ROUND",
    "ROUNDUP",
    "ROUNDDOWN",
    "INT",
    "ABS",
    "MAX",
    "MIN",
    "PRODUCT",
    "SUBTOTAL",
];

/// Whether a formula (as the user sees it) can never give the empty string:
/// its outermost operation is arithmetic or a comparison, or a function such
/// as SUM. A stored "" for such a formula was never calculated — xlwt writes
/// "" as every formula's result in an .xls.
pub fn never_empty_string(formula: &str) -> bool {
    let f = formula.trim().trim_start_matches('=').trim();
    let (mut depth, mut in_string, mut in_sheet_name) = (0i32, false, false);
    let mut outer_call_closes_at = None;
    for (i, c) in f.char_indices() {
        match c {
            '"' if !in_sheet_name => in_string = !in_string,
            '\'' if !in_string => in_sheet_name = !in_sheet_name,
            _ if in_string || in_sheet_name => {}
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 && outer_call_closes_at.is_none() {
                    outer_call_closes_at = Some(i);
                }
            }
            '+' | '-' | '*' | '/' | '^' | '<' | '>' | '=' | '%' if depth == 0 => return true,
            _ => {}
        }
    }
    let name = f.split('(').next().unwrap_or("").trim().to_uppercase();
    outer_call_closes_at == Some(f.len() - 1) && NUMERIC_FUNCTIONS.contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odf_formulas_read_as_a1() {
        assert_eq!(
            as_user_sees_it("of:=IF(COUNT([.E7:.P7])=0;\"\";SUM([.E7:.P7]))"),
            "IF(COUNT(E7:P7)=0,\"\",SUM(E7:P7))"
        );
        assert_eq!(
            as_user_sees_it("of:=LOOKUP(2;1/([.E5:.P5]<>\"\");[.E5:.P5])"),
            "LOOKUP(2,1/(E5:P5<>\"\"),E5:P5)"
        );
        assert_eq!(
            as_user_sees_it("of:=[$Sheet1.A1]+[$'基本 信息'.$B$2]"),
            "Sheet1!A1+'基本 信息'!$B$2"
        );
        assert_eq!(as_user_sees_it("of:=\"a;[.b]\"\"\"&[.C3]"), "\"a;[.b]\"\"\"&C3");
    }

    #[test]
    fn formulas_that_cannot_give_an_empty_string() {
        for f in ["E4*2", "SUM(E4:P4)", "=-E4", "E4+F4", "E4>0", "ROUND(E4,2)", "A1%"] {
            assert!(never_empty_string(f), "{f}");
        }
        for f in [
            "IF(COUNT(E4:P4)=0,\"\",SUM(E4:P4))",
            "E5",
            "A1&\"\"",
            "\"a-b\"",
            "LOOKUP(2,1/(E5:P5<>\"\"),E5:P5)",
            "SUM(E4:P4)&\"\"",
            "'2015-数据'!E4",
        ] {
            assert!(!never_empty_string(f), "{f}");
        }
    }

    #[test]
    fn a1_formulas_lose_only_a_leading_equals_sign() {
        assert_eq!(as_user_sees_it("SUM(E4:P4)"), "SUM(E4:P4)");
        assert_eq!(as_user_sees_it("=SUM(E4:P4)"), "SUM(E4:P4)");
    }
}
