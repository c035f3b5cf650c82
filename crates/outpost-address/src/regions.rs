//! First-level regions (states, provinces, departments) of the countries the project cares most
//! about, written out by hand from general knowledge (they are public administrative facts, not
//! taken from any test file). Each line: `CC|abbreviation,...|name`; abbreviations may be empty.

/// `CC|abbrevs|name` lines.
pub const REGIONS: &str = "\
US|al|alabama
US|ak|alaska
US|az|arizona
US|ar|arkansas
US|ca,calif|california
US|co,colo|colorado
US|ct,conn|connecticut
US|de|delaware
US|dc,d.c.|district of columbia
US|fl,fla|florida
US|ga|georgia
US|hi|hawaii
US|id|idaho
US|il,ill|illinois
US|in,ind|indiana
US|ia|iowa
US|ks,kan|kansas
US|ky|kentucky
US|la|louisiana
US|me|maine
US|md|maryland
US|ma,mass|massachusetts
US|mi,mich|michigan
US|mn,minn|minnesota
US|ms,miss|mississippi
US|mo|missouri
US|mt|montana
US|ne,neb|nebraska
US|nv,nev|nevada
US|nh|new hampshire
US|nj|new jersey
US|nm|new mexico
US|ny,n.y.|new york
US|nc|north carolina
US|nd|north dakota
US|oh|ohio
US|ok,okla|oklahoma
US|or,ore|oregon
US|pa,penn|pennsylvania
US|ri|rhode island
US|sc|south carolina
US|sd|south dakota
US|tn,tenn|tennessee
US|tx,tex|texas
US|ut|utah
US|vt|vermont
US|va|virginia
US|wa,wash|washington
US|wv|west virginia
US|wi,wis|wisconsin
US|wy|wyoming
US|pr|puerto rico
US|gu|guam
US|vi|virgin islands
CA|ab,alta|alberta
CA|bc|british columbia
CA|mb,man|manitoba
CA|nb|new brunswick
CA|nl|newfoundland and labrador
CA|ns|nova scotia
CA|nt|northwest territories
CA|nu|nunavut
CA|on,ont|ontario
CA|pe|prince edward island
CA|qc,que|quebec
CA|qc|québec
CA|sk,sask|saskatchewan
CA|yt|yukon
AU|nsw|new south wales
AU|vic|victoria
AU|qld|queensland
AU|sa|south australia
AU|wa|western australia
AU|tas|tasmania
AU|nt|northern territory
AU|act|australian capital territory
AR||buenos aires
AR|caba|ciudad autónoma de buenos aires
AR||catamarca
AR||chaco
AR||chubut
AR||córdoba
AR||corrientes
AR||entre ríos
AR||formosa
AR||jujuy
AR||la pampa
AR||la rioja
AR||mendoza
AR||misiones
AR||neuquén
AR||río negro
AR||salta
AR||san juan
AR||san luis
AR||santa cruz
AR||santa fe
AR||santiago del estero
AR||tierra del fuego
AR||tucumán
MX||aguascalientes
MX||baja california
MX||baja california sur
MX||campeche
MX||chiapas
MX||chihuahua
MX|cdmx|ciudad de méxico
MX||coahuila
MX||colima
MX||durango
MX||guanajuato
MX||guerrero
MX||hidalgo
MX||jalisco
MX|edomex|estado de méxico
MX||michoacán
MX||morelos
MX||nayarit
MX||nuevo león
MX||oaxaca
MX||puebla
MX||querétaro
MX||quintana roo
MX||san luis potosí
MX||sinaloa
MX||sonora
MX||tabasco
MX||tamaulipas
MX||tlaxcala
MX||veracruz
MX||yucatán
MX||zacatecas
CO||amazonas
CO||antioquia
CO||arauca
CO||atlántico
CO||bolívar
CO||boyacá
CO||caldas
CO||caquetá
CO||casanare
CO||cauca
CO||cesar
CO||chocó
CO||cundinamarca
CO||guainía
CO||guaviare
CO||huila
CO||la guajira
CO||magdalena
CO||meta
CO||nariño
CO||norte de santander
CO||putumayo
CO||quindío
CO||risaralda
CO||san andrés y providencia
CO||santander
CO||sucre
CO||tolima
CO||valle del cauca
CO||vaupés
CO||vichada
CO||bogotá d.c.
PE||amazonas
PE||áncash
PE||apurímac
PE||arequipa
PE||ayacucho
PE||cajamarca
PE||callao
PE||cusco
PE||huancavelica
PE||huánuco
PE||ica
PE||junín
PE||la libertad
PE||lambayeque
PE||lima
PE||loreto
PE||madre de dios
PE||moquegua
PE||pasco
PE||piura
PE||puno
PE||san martín
PE||tacna
PE||tumbes
PE||ucayali
CL||región de arica y parinacota
CL||región de tarapacá
CL||región de antofagasta
CL||región de atacama
CL||región de coquimbo
CL||región de valparaíso
CL||región metropolitana de santiago
CL||región del libertador general bernardo o'higgins
CL||región del maule
CL||región de ñuble
CL||región del biobío
CL||región de la araucanía
CL||región de los ríos
CL||región de los lagos
CL||región de aysén
CL||región de magallanes y de la antártica chilena
EC||azuay
EC||bolívar
EC||cañar
EC||carchi
EC||chimborazo
EC||cotopaxi
EC||el oro
EC||esmeraldas
EC||galápagos
EC||guayas
EC||imbabura
EC||loja
EC||los ríos
EC||manabí
EC||morona santiago
EC||napo
EC||orellana
EC||pastaza
EC||pichincha
EC||santa elena
EC||santo domingo de los tsáchilas
EC||sucumbíos
EC||tungurahua
EC||zamora chinchipe
DE||baden-württemberg
DE||bayern
DE||bavaria
DE||brandenburg
DE||hessen
DE||hesse
DE||mecklenburg-vorpommern
DE||niedersachsen
DE||lower saxony
DE||nordrhein-westfalen
DE||north rhine-westphalia
DE||rheinland-pfalz
DE||rhineland-palatinate
DE||saarland
DE||sachsen
DE||saxony
DE||sachsen-anhalt
DE||saxony-anhalt
DE||schleswig-holstein
DE||thüringen
DE||thuringia
ES||andalucía
ES||aragón
ES||asturias
ES||illes balears
ES||islas baleares
ES||canarias
ES||cantabria
ES||castilla y león
ES||castilla-la mancha
ES||cataluña
ES||catalunya
ES||comunidad valenciana
ES||comunitat valenciana
ES||extremadura
ES||galicia
ES||comunidad de madrid
ES||región de murcia
ES||comunidad foral de navarra
ES||país vasco
ES||euskadi
ES||la rioja
ES||álava
ES||araba
ES||albacete
ES||alicante
ES||alacant
ES||almería
ES||ávila
ES||badajoz
ES||barcelona
ES||burgos
ES||cáceres
ES||cádiz
ES||castellón
ES||castelló
ES||ciudad real
ES||córdoba
ES||cuenca
ES||girona
ES||gerona
ES||granada
ES||guadalajara
ES||gipuzkoa
ES||guipúzcoa
ES||huelva
ES||huesca
ES||jaén
ES||a coruña
ES||la coruña
ES||las palmas
ES||león
ES||lleida
ES||lérida
ES||lugo
ES||madrid
ES||málaga
ES||murcia
ES||navarra
ES||ourense
ES||palencia
ES||pontevedra
ES||salamanca
ES||santa cruz de tenerife
ES||segovia
ES||sevilla
ES||soria
ES||tarragona
ES||teruel
ES||toledo
ES||valencia
ES||valència
ES||valladolid
ES||bizkaia
ES||vizcaya
ES||zamora
ES||zaragoza
";
