//! One small SQL interface over SQLite (rusqlite) and PostgreSQL (postgres), so that ingest,
//! merging, queries and exports are written once.
//!
//! SQL is written with `?` placeholders; for PostgreSQL they are renumbered `$1, $2, …`.
//! Values are the kinds both databases share: NULL, 64-bit integers, doubles, text and bytes
//! (SQLite BLOB, PostgreSQL BYTEA).

use std::collections::HashMap;

use crate::StoreError;

/// A SQL value, as a parameter or a column of a result row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    pub fn int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Real(f) => Some(*f as i64),
            _ => None,
        }
    }
    pub fn real(&self) -> Option<f64> {
        match self {
            Value::Real(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
    pub fn string(&self) -> Option<String> {
        self.text().map(str::to_string)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

pub type Row = Vec<Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// What the store needs from a database connection.
pub trait Conn: Send {
    fn dialect(&self) -> Dialect;
    /// Runs several statements without parameters (migrations).
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
    /// Runs one statement, returning the number of rows changed.
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    /// Runs one query, returning every row.
    fn rows(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// Plans each statement once, whatever values are bound to it (`on`), or as the values
    /// bound to it suggest (the default, best for one-off queries). SQLite otherwise plans a
    /// statement again whenever a new value is bound to a parameter its index statistics
    /// (STAT4) were consulted for: an ingest runs the same lookups thousands of times with new
    /// values, and re-planning them is a twentieth of its time.
    fn stable_plans(&mut self, on: bool) -> Result<(), StoreError>;
}

/// `?` → `$n` for PostgreSQL (our SQL never has `?` inside string literals).
pub fn renumber(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------- SQLite

pub struct Sqlite {
    pub conn: rusqlite::Connection,
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

fn sqlite_value(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

impl Conn for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
    fn stable_plans(&mut self, on: bool) -> Result<(), StoreError> {
        self.conn
            .set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, on)?;
        Ok(())
    }
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.conn.execute_batch(sql)?)
    }
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        Ok(stmt.execute(rusqlite::params_from_iter(params.iter()))? as u64)
    }
    fn rows(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(sqlite_value(r.get_ref(i)?));
            }
            out.push(row);
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------- PostgreSQL

pub struct Postgres {
    client: postgres::Client,
    /// Statements prepared on this connection, by their SQL (after [`renumber`]): a statement
    /// sent as text is parsed, planned and described by the server, a round trip of its own,
    /// each time it runs.
    prepared: HashMap<String, postgres::Statement>,
}

/// Most statements [`Postgres`] keeps prepared. Statements with lists (`IN (?, ?, …)`, rows
/// of a multi-row insert) come in one form per list length; past this, the cache starts
/// afresh rather than growing with every length seen.
const PREPARED_STATEMENTS: usize = 512;

impl Postgres {
    /// Wraps a connection; its prepared statements get a plan for their values each time they
    /// run (as statements sent as text do) until [`Conn::stable_plans`] says otherwise.
    /// (`plan_cache_mode` is PostgreSQL 12 or later.)
    pub fn new(mut client: postgres::Client) -> Result<Postgres, postgres::Error> {
        client.batch_execute("SET plan_cache_mode = force_custom_plan")?;
        Ok(Postgres {
            client,
            prepared: HashMap::new(),
        })
    }

    /// The prepared statement for `sql` (with `?` placeholders), prepared on first use.
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(s) = self.prepared.get(sql) {
            return Ok(s.clone());
        }
        let statement = self.client.prepare(&renumber(sql))?;
        if self.prepared.len() >= PREPARED_STATEMENTS {
            self.prepared.clear();
        }
        self.prepared.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

impl postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }
    fn accepts(_ty: &postgres::types::Type) -> bool {
        true
    }
    postgres::types::to_sql_checked!();
}

fn pg_value(row: &postgres::Row, i: usize) -> Result<Value, StoreError> {
    use postgres::types::Type;
    let ty = row.columns()[i].type_().clone();
    Ok(match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.into(),
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(i64::from).into(),
        Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(i64::from).into(),
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(i64::from).into(),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.into(),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(i)?.map(f64::from).into(),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)?
            .map_or(Value::Null, Value::Blob),
        _ => row.try_get::<_, Option<String>>(i)?.into(),
    })
}

fn pg_params(params: &[Value]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    params
        .iter()
        .map(|p| p as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

impl Conn for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
    /// A generic plan (made once, kept by the prepared statement) for the batch's lookups;
    /// otherwise a plan for each statement's values, which may pick another index for a rare
    /// value than for a common one.
    fn stable_plans(&mut self, on: bool) -> Result<(), StoreError> {
        let mode = if on { "auto" } else { "force_custom_plan" };
        Ok(self
            .client
            .batch_execute(&format!("SET plan_cache_mode = {mode}"))?)
    }
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.client.batch_execute(sql)?)
    }
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let statement = self.statement(sql)?;
        Ok(self.client.execute(&statement, &pg_params(params))?)
    }
    fn rows(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let statement = self.statement(sql)?;
        let rows = self.client.query(&statement, &pg_params(params))?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut row = Vec::with_capacity(r.len());
            for i in 0..r.len() {
                row.push(pg_value(r, i)?);
            }
            out.push(row);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renumbers_placeholders_in_order() {
        assert_eq!(
            renumber("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
        );
        assert_eq!(renumber("SELECT 1"), "SELECT 1");
    }

    #[test]
    fn values_convert() {
        assert_eq!(Value::from(Some(3i64)).int(), Some(3));
        assert_eq!(Value::from(None::<i64>), Value::Null);
        assert_eq!(Value::from("x").text(), Some("x"));
        assert_eq!(Value::Int(2).real(), Some(2.0));
    }
}
