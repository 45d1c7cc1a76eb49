//! Language codes (ISO 639-1) for the languages hadath identifies.

use serde::{Deserialize, Serialize};

/// A language hadath can tell apart. `Und` means undetermined (numbers, links, too short).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ar,
    En,
    Ru,
    Kk,
    Uk,
    Fr,
    Es,
    Tr,
    Fa,
    Ur,
    He,
    Und,
}

impl Lang {
    pub const ALL: [Lang; 12] = [
        Lang::Ar,
        Lang::En,
        Lang::Ru,
        Lang::Kk,
        Lang::Uk,
        Lang::Fr,
        Lang::Es,
        Lang::Tr,
        Lang::Fa,
        Lang::Ur,
        Lang::He,
        Lang::Und,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::Uk => "uk",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Tr => "tr",
            Lang::Fa => "fa",
            Lang::Ur => "ur",
            Lang::He => "he",
            Lang::Und => "und",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.iter().copied().find(|l| l.code() == code)
    }

    /// True for languages written right to left.
    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Ar | Lang::Fa | Lang::Ur | Lang::He)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
