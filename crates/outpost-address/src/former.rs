//! County-level districts abolished or merged before 2023 that the change list in the shared
//! gazetteer (JioNLP's, which starts from a subset) leaves out, written out by hand from public
//! administrative records (State Council approvals; no test file was read). Addresses keep the old
//! names for years. Each line: `province|prefecture|old name|successor`; for the municipalities
//! the prefecture is the municipality itself.

/// `province|prefecture|old|successor` lines.
pub(crate) const FORMER_DISTRICTS: &str = "\
北京市|北京市|崇文区|东城区
北京市|北京市|宣武区|西城区
天津市|天津市|塘沽区|滨海新区
天津市|天津市|汉沽区|滨海新区
天津市|天津市|大港区|滨海新区
上海市|上海市|南汇区|浦东新区
上海市|上海市|卢湾区|黄浦区
上海市|上海市|闸北区|静安区
重庆市|重庆市|万盛区|綦江区
重庆市|重庆市|双桥区|大足区
广东省|广州市|萝岗区|黄埔区
广东省|广州市|东山区|越秀区
广东省|广州市|芳村区|荔湾区
江苏省|南京市|白下区|秦淮区
江苏省|南京市|下关区|鼓楼区
江苏省|苏州市|金阊区|姑苏区
江苏省|苏州市|平江区|姑苏区
江苏省|苏州市|沧浪区|姑苏区
江苏省|无锡市|崇安区|梁溪区
江苏省|无锡市|南长区|梁溪区
江苏省|无锡市|北塘区|梁溪区
江苏省|常州市|戚墅堰区|武进区
江苏省|扬州市|维扬区|邗江区
江苏省|淮安市|清河区|清江浦区
江苏省|淮安市|清浦区|清江浦区
江苏省|淮安市|楚州区|淮安区
浙江省|宁波市|江东区|鄞州区
浙江省|绍兴市|绍兴县|柯桥区
山东省|青岛市|四方区|市北区
山东省|青岛市|胶南市|黄岛区
辽宁省|沈阳市|东陵区|浑南区
福建省|厦门市|开元区|思明区
福建省|厦门市|鼓浪屿区|思明区
黑龙江省|哈尔滨市|动力区|香坊区
河北省|石家庄市|桥东区|长安区
贵州省|贵阳市|小河区|花溪区
";
