//! vejviser-parse
