//! A fixed pool of open stores. `Store` is `Send` but not `Sync`, so each query borrows one
//! store for itself ([`Lease`]) and runs on a blocking thread; a semaphore makes requests wait
//! (within the request timeout) when every store is busy.

use crate::error::ApiError;
use hadath_store::{Store, StoreError};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Open stores, handed out one request at a time.
pub struct StorePool {
    stores: Mutex<Vec<Store>>,
    permits: Arc<Semaphore>,
    size: usize,
    url: String,
}

impl StorePool {
    /// Opens `size` connections to `url` (the first one creates and migrates the store).
    pub fn open(url: &str, size: usize) -> Result<StorePool, StoreError> {
        let size = size.max(1);
        let mut stores = Vec::with_capacity(size);
        for _ in 0..size {
            stores.push(Store::open(url)?);
        }
        let url = stores
            .first()
            .map(|s| s.url().to_string())
            .unwrap_or_default();
        Ok(StorePool::from_stores(stores, url))
    }

    /// A pool over stores opened by the caller.
    pub fn from_stores(stores: Vec<Store>, url: String) -> StorePool {
        let size = stores.len();
        StorePool {
            stores: Mutex::new(stores),
            permits: Arc::new(Semaphore::new(size)),
            size,
            url,
        }
    }

    /// The store's URL, password removed.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// Waits for a free store.
    pub async fn lease(self: &Arc<Self>) -> Result<Lease, ApiError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::Unavailable("the server is shutting down".into()))?;
        let store = self.stores.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match store {
            Some(store) => Ok(Lease {
                pool: Arc::clone(self),
                store: Some(store),
                _permit: permit,
            }),
            None => {
                // Only possible if a store was lost; say so rather than hang.
                eprintln!("hadath serve: the store pool is empty although a permit was free");
                Err(ApiError::Internal)
            }
        }
    }

    /// Runs `f` with a store on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> T + Send + 'static,
    {
        let mut lease = self.lease().await?;
        tokio::task::spawn_blocking(move || f(lease.store()))
            .await
            .map_err(|e| {
                eprintln!("hadath serve: a query thread failed: {e}");
                ApiError::Internal
            })
    }
}

/// A store borrowed from the pool; it goes back when the lease is dropped (also when the
/// thread holding it panics, or when the request that asked for it timed out meanwhile).
pub struct Lease {
    pool: Arc<StorePool>,
    store: Option<Store>,
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    pub fn store(&mut self) -> &mut Store {
        // `store` is only taken in `drop`.
        match self.store.as_mut() {
            Some(s) => s,
            None => unreachable!("a lease holds its store until dropped"),
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            self.pool
                .stores
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(store);
        }
        // The permit is released after this, when the fields drop.
    }
}
