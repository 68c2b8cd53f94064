//! vejviser-load
