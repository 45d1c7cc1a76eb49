//! Dates known to a year, a month or a day.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Year,
    Month,
    Day,
}

/// A calendar date known to some precision: `2022`, `2022-01` or `2022-01-05`.
/// Serialised as that string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn year(year: i32) -> PartialDate {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// A year and month; `None` when the month is out of range.
    pub fn month(year: i32, month: u8) -> Option<PartialDate> {
        (1..=12).contains(&month).then_some(PartialDate {
            year,
            month: Some(month),
            day: None,
        })
    }

    /// A full date; `None` when it does not exist in the Gregorian calendar.
    pub fn day(year: i32, month: u8, day: u8) -> Option<PartialDate> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(
            PartialDate {
                year,
                month: Some(month),
                day: Some(day),
            },
        )
    }

    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, and a full ISO 8601 timestamp
    /// (`2022-01-05T10:00:00Z`, whose time part is ignored).
    pub fn parse(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        let date = s.split(['T', ' ']).next().unwrap_or(s);
        let mut parts = date.split('-');
        let y = parts.next()?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month = match parts.next() {
            None => return Some(PartialDate::year(year)),
            Some(m) if m.len() == 2 => m.parse::<u8>().ok()?,
            Some(_) => return None,
        };
        match parts.next() {
            None => PartialDate::month(year, month),
            Some(d) if d.len() == 2 && parts.next().is_none() => {
                PartialDate::day(year, month, d.parse::<u8>().ok()?)
            }
            Some(_) => None,
        }
    }

    /// Days since 1970-01-01 of the first day this date covers.
    pub fn to_days(&self) -> i64 {
        days_from_civil(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The full date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> PartialDate {
        let (y, m, d) = civil_from_days(days);
        PartialDate {
            year: y,
            month: Some(m),
            day: Some(d),
        }
    }

    /// Day of the week, 0 = Monday ... 6 = Sunday (only meaningful at day precision).
    pub fn weekday(&self) -> u8 {
        // 1970-01-01 was a Thursday (3).
        ((self.to_days() + 3).rem_euclid(7)) as u8
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PartialDate, D::Error> {
        let s = String::deserialize(d)?;
        PartialDate::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a date: {s:?}")))
    }
}

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision() {
        assert_eq!(PartialDate::parse("2022").unwrap().to_string(), "2022");
        assert_eq!(
            PartialDate::parse("2022-01").unwrap().to_string(),
            "2022-01"
        );
        assert_eq!(
            PartialDate::parse("2022-01-05T10:00:00Z")
                .unwrap()
                .to_string(),
            "2022-01-05"
        );
        assert!(PartialDate::parse("2022-13").is_none());
        assert!(PartialDate::parse("2021-02-29").is_none());
        assert!(PartialDate::parse("22-01").is_none());
        assert!(PartialDate::parse("").is_none());
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let d = PartialDate::day(2022, 1, 5).unwrap();
        assert_eq!(PartialDate::from_days(d.to_days()), d);
        assert_eq!(d.weekday(), 2, "5 January 2022 was a Wednesday");
        assert_eq!(
            PartialDate::from_days(d.to_days() - 3).to_string(),
            "2022-01-02"
        );
        assert_eq!(PartialDate::day(2024, 2, 29).unwrap().weekday(), 3);
    }
}
