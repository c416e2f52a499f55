//! `generated::endpoint::all()` against the specs: every specified endpoint is listed once, with
//! the method, path, success status, effect and schema ids the model gives it.

use codegen::emit_schema::schema_id;
use generated::endpoint::{Effect, SuccessStatus};

#[test]
fn the_endpoint_registry_lists_every_specified_endpoint_with_its_facts() {
    let (sources, _) = crate::project_contracts();
    let model = codegen::load_model(&sources).expect("the specs load");
    let listed = generated::endpoint::all();
    let mut expected_count = 0;
    for service in &model.services {
        for endpoint in &service.endpoints {
            expected_count += 1;
            let info = generated::endpoint::find(&service.id, &endpoint.id)
                .unwrap_or_else(|| panic!("{} is listed", endpoint.key()));
            assert_eq!(info.method, endpoint.method.as_str(), "{}", endpoint.key());
            assert_eq!(info.path, endpoint.path, "{}", endpoint.key());
            assert_eq!(
                info.status.to_string(),
                endpoint.response.status.describe(),
                "{}",
                endpoint.key()
            );
            let code = endpoint.response.status.representative_code();
            assert!(info.status.accepts(code), "{}", endpoint.key());
            assert_eq!(
                info.effect,
                if codegen::emit_rust_api::endpoint_writes(endpoint) {
                    Effect::Write
                } else {
                    Effect::Read
                },
                "{}",
                endpoint.key()
            );
            let request_id = endpoint
                .request
                .as_ref()
                .map(|body| schema_id(&model.schema_base_uri, service, endpoint, body));
            assert_eq!(info.request_schema_id.map(str::to_owned), request_id);
            assert_eq!(
                info.response_schema_id,
                schema_id(
                    &model.schema_base_uri,
                    service,
                    endpoint,
                    &endpoint.response.body
                )
            );
        }
    }
    assert_eq!(
        listed.len(),
        expected_count,
        "nothing listed twice or unspecified"
    );
    assert!(!SuccessStatus::Code(201).accepts(200));
}
