//! The hadath HTTP API and dashboard (being written).
