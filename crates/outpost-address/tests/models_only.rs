//! The shipped parser runs from `models/address` alone: with `OUTPOST_DATA` pointing at a folder
//! that does not exist, `AddressParser::load()` still loads and parses (this test is its own
//! process, so setting the variable cannot disturb other tests).

use outpost_address::{AddressDetector, AddressParser};

#[test]
fn loads_and_parses_from_models_without_the_data_checkout() {
    std::env::set_var("OUTPOST_DATA", "/nonexistent/outpost-data");
    std::env::remove_var("OUTPOST_MODELS");
    let p = AddressParser::load().expect("models/address loads without the data directory");
    let a = p.parse("浙江省温州市鹿城区人民路123号5楼");
    assert_eq!(a.get("state"), Some("浙江省"));
    assert_eq!(a.get("city"), Some("温州市"));
    assert_eq!(a.get("city_district"), Some("鹿城区"));
    assert_eq!(a.adcode(), Some("330302"));
    let a = p.parse("2633 Camino Ramon Ste. 400 San Ramon, CA 94583-2176");
    assert_eq!(a.get("unit"), Some("Ste. 400"));
    assert_eq!(a.get("state"), Some("CA"));
    let a = p.parse("Av. Corrientes 1234, piso 3, Buenos Aires");
    assert_eq!(a.get("road"), Some("Av. Corrientes"));
    assert_eq!(a.get("city"), Some("Buenos Aires"));
    let d = AddressDetector::new(p);
    let t = "据报道，该服务站位于福州市鼓楼区五四路123号的一栋大楼内。";
    let f = d.find(t);
    assert_eq!(f.len(), 1);
    assert_eq!(&t[f[0].start..f[0].end], "福州市鼓楼区五四路123号");
}

#[test]
fn a_missing_models_folder_is_a_clear_error() {
    let err = AddressParser::load_dir(std::path::Path::new("/nonexistent/models/address"))
        .expect_err("no tables there");
    assert!(err.to_string().contains("/nonexistent/models/address"));
}
