//! vejviser-site
