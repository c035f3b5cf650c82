//! [`Model`]: a trained tagger (weights, tag set, gazetteer, clusters) with tagging, confidence
//! and a compact file format (zlib-compressed, weights quantised to 16 bits).

use crate::codec::{Reader, Writer};
use crate::context::{context_codes, Codes};
use crate::decode::{bio_mask, exp_transitions, marginals_with, viterbi};
use crate::error::{NerError, Result};
use crate::features::{extract, extract_with, Clusters, Resources, SentFeats};
use crate::gazetteer::{Gazetteer, Lexicon};
use crate::lang::Lang;
use crate::tags::{tag_part, tag_type, LabelScheme, Part, TagSet};
use crate::tokenize::tokenize;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use std::io::{Read, Write};
use std::ops::Range;
use std::path::Path;

const MAGIC: &[u8; 11] = b"OUTPOSTNER\x04";
const NONE: u32 = u32::MAX;

/// A trained sequence tagger.
#[derive(Debug, Clone)]
pub struct Model {
    lang: Lang,
    tagset: TagSet,
    scheme: LabelScheme,
    bits: u32,
    temperature: f32,
    res: Resources,
    trans: Vec<f32>,
    mask: Vec<bool>,
    /// Transition factors for the marginals at `temperature`.
    exp_trans: Vec<f64>,
    index: Vec<u32>,
    /// Quantised weights, `slots × t`; real weight = value × `scale`.
    weights: Vec<i16>,
    scale: f32,
    meta: String,
    /// First-pass model of a two-stage tagger and its context window (sentences on each side).
    stage1: Option<(Box<Model>, usize)>,
}

/// An entity found in a token sequence: tokens `start..end`, its type and confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenEntity {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The model's type name.
    pub ty: String,
    /// Confidence in [0, 1]: the smallest posterior marginal of the entity's tags.
    pub score: f32,
}

impl From<TokenEntity> for crate::tags::Chunk {
    /// The entity's token range and type, as the scorer counts it.
    fn from(e: TokenEntity) -> Self {
        Self {
            start: e.start,
            end: e.end,
            ty: e.ty,
        }
    }
}

/// An entity found in raw text: a byte range, its type and confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct TextEntity {
    /// Byte range in the tagged text.
    pub bytes: Range<usize>,
    /// The model's type name.
    pub ty: String,
    /// Confidence in [0, 1].
    pub score: f32,
}

impl Model {
    /// Builds a model from dense training weights (`rows × t`): quantises them to 16 bits with one
    /// scale (so a model in memory tags exactly like the same model saved and loaded) and drops
    /// all-zero rows.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_dense(
        lang: Lang,
        tagset: TagSet,
        scheme: LabelScheme,
        bits: u32,
        res: Resources,
        dense: &[f32],
        trans: Vec<f32>,
        temperature: f32,
        meta: String,
    ) -> Self {
        let t = tagset.len();
        let rows = 1usize << bits;
        let mut index = vec![NONE; rows];
        let max = dense.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut weights = Vec::new();
        let mut q = vec![0i16; t];
        for (r, slot) in index.iter_mut().enumerate() {
            let w = &dense[r * t..(r + 1) * t];
            for (qi, x) in q.iter_mut().zip(w) {
                *qi = (x / scale).round().clamp(-32767.0, 32767.0) as i16;
            }
            if q.iter().any(|&x| x != 0) {
                *slot = (weights.len() / t) as u32;
                weights.extend_from_slice(&q);
            }
        }
        let mask = bio_mask(t);
        Self {
            lang,
            exp_trans: exp_transitions(&trans, &mask, temperature),
            mask,
            tagset,
            scheme,
            bits,
            temperature,
            res,
            trans,
            index,
            weights,
            scale,
            meta,
            stage1: None,
        }
    }

    /// Makes this a two-stage model whose features include the context codes of `first`'s tagging
    /// of the sentences within `window` of each sentence.
    pub(crate) fn with_stage1(mut self, first: Model, window: usize) -> Self {
        self.stage1 = Some((Box::new(first), window));
        self
    }

    /// The first-pass model and window of a two-stage model (None for a one-stage model).
    pub fn stage1(&self) -> Option<(&Model, usize)> {
        self.stage1.as_ref().map(|(m, w)| (m.as_ref(), *w))
    }

    /// Context codes of a run of sentences from the first-pass model (None for one stage).
    fn doc_codes(&self, sents: &[Vec<&str>]) -> Option<Vec<Vec<Codes>>> {
        let (m1, window) = self.stage1.as_ref()?;
        let paths: Vec<Vec<usize>> = sents.iter().map(|s| m1.tag_indices(s)).collect();
        Some(context_codes(sents, &paths, *window))
    }

    /// Features of every sentence of a run of consecutive sentences (a document): a two-stage
    /// model adds the context of the neighbouring sentences.
    pub fn features_doc(&self, sents: &[Vec<&str>]) -> Vec<SentFeats> {
        let codes = self.doc_codes(sents);
        sents
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let ctx = codes.as_ref().map(|c| c[k].as_slice());
                extract_with(self.lang, &self.res, self.bits, s, ctx)
            })
            .collect()
    }

    /// Tags a run of consecutive sentences (a document) and returns each sentence's entities; a
    /// two-stage model lets each sentence see how its neighbours were tagged. Equivalent to
    /// [`Model::entities`] per sentence for a one-stage model.
    pub fn entities_doc(&self, sents: &[Vec<&str>]) -> Vec<Vec<TokenEntity>> {
        self.features_doc(sents)
            .iter()
            .map(|f| {
                let em = self.emissions(f);
                self.entities_from_emissions(&em, f.len(), self.temperature)
            })
            .collect()
    }

    /// The model's language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The model's tag set.
    pub fn tagset(&self) -> &TagSet {
        &self.tagset
    }

    /// Whether the model was trained on native or common type names.
    pub fn scheme(&self) -> LabelScheme {
        self.scheme
    }

    /// The softmax temperature used for confidences (calibrated on the dev set when training).
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// The gazetteer, clusters and lexicon the model computes features with.
    pub fn resources(&self) -> &Resources {
        &self.res
    }

    /// Free-form training metadata (JSON written by the trainer).
    pub fn meta(&self) -> &str {
        &self.meta
    }

    /// Number of weight rows kept (features with a non-zero weight).
    pub fn active_features(&self) -> usize {
        self.weights.len() / self.tagset.len().max(1)
    }

    /// Transition scores, `(tags + 1) × (tags + 1)` (the last row and column are the sentence
    /// start and end), for decoding emissions from [`Model::emissions`] with
    /// [`crate::decode::viterbi`].
    pub fn transitions(&self) -> &[f32] {
        &self.trans
    }

    /// Feature ids of a sentence for this model.
    pub fn features(&self, tokens: &[&str]) -> SentFeats {
        match self.doc_codes(&[tokens.to_vec()]) {
            Some(c) => extract_with(self.lang, &self.res, self.bits, tokens, Some(&c[0])),
            None => extract(self.lang, &self.res, self.bits, tokens),
        }
    }

    /// Emission scores (`n × tags`) of a featurised sentence.
    pub fn emissions(&self, f: &SentFeats) -> Vec<f32> {
        let t = self.tagset.len();
        let n = f.len();
        // look all rows up first (independent loads overlap), then accumulate in integers
        let slots: Vec<u32> = f.ids.iter().map(|&r| self.index[r as usize]).collect();
        let mut acc = vec![0i32; t];
        let mut em = vec![0f32; n * t];
        for i in 0..n {
            acc.iter_mut().for_each(|a| *a = 0);
            for &slot in &slots[f.offs[i] as usize..f.offs[i + 1] as usize] {
                if slot != NONE {
                    let w = &self.weights[slot as usize * t..(slot as usize + 1) * t];
                    for (a, &x) in acc.iter_mut().zip(w) {
                        *a += x as i32;
                    }
                }
            }
            for (o, &a) in em[i * t..(i + 1) * t].iter_mut().zip(&acc) {
                *o = a as f32 * self.scale;
            }
        }
        em
    }

    /// Tags a tokenised sentence; returns the best tag indices. Empty input gives an empty result.
    pub fn tag_indices(&self, tokens: &[&str]) -> Vec<usize> {
        let f = self.features(tokens);
        let em = self.emissions(&f);
        viterbi(&em, f.len(), self.tagset.len(), &self.trans, &self.mask)
    }

    /// Tags a tokenised sentence; returns the best BIO tags as strings.
    pub fn tag_strings(&self, tokens: &[&str]) -> Vec<String> {
        self.tag_indices(tokens)
            .into_iter()
            .map(|y| self.tagset.name(y))
            .collect()
    }

    /// Tags a tokenised sentence and returns its entities with confidences.
    pub fn entities(&self, tokens: &[&str]) -> Vec<TokenEntity> {
        let f = self.features(tokens);
        let em = self.emissions(&f);
        self.entities_from_emissions(&em, f.len(), self.temperature)
    }

    pub(crate) fn entities_from_emissions(
        &self,
        em: &[f32],
        n: usize,
        temperature: f32,
    ) -> Vec<TokenEntity> {
        let t = self.tagset.len();
        let path = viterbi(em, n, t, &self.trans, &self.mask);
        let marg = if temperature == self.temperature {
            marginals_with(em, n, t, &self.exp_trans, &self.mask, temperature)
        } else {
            crate::decode::marginals(em, n, t, &self.trans, &self.mask, temperature)
        };
        entities_of_path(&path, &self.tagset, |i, y| marg[i * t + y])
    }

    /// Tokenises `text` for the model's language and returns its entities as byte ranges.
    pub fn tag_text(&self, text: &str) -> Vec<TextEntity> {
        let toks = tokenize(text, self.lang);
        let words: Vec<&str> = toks.iter().map(|r| &text[r.clone()]).collect();
        self.entities(&words)
            .into_iter()
            .map(|e| TextEntity {
                bytes: toks[e.start].start..toks[e.end - 1].end,
                ty: e.ty,
                score: e.score,
            })
            .collect()
    }

    /// Writes the model to `path` (written to a temporary file in the same folder, then renamed, so
    /// the file is complete or absent). Returns [`NerError::Io`] on a write error.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut w = Writer::default();
        w.0.extend_from_slice(MAGIC);
        self.write_body(&mut w);
        let mut enc = ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&w.0).map_err(|e| NerError::io(path, e))?;
        let bytes = enc.finish().map_err(|e| NerError::io(path, e))?;
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        let tmp = path.with_extension("bin.tmp");
        if let Some(d) = dir {
            std::fs::create_dir_all(d).map_err(|e| NerError::io(d, e))?;
        }
        std::fs::write(&tmp, &bytes).map_err(|e| NerError::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| NerError::io(path, e))
    }

    fn write_body(&self, w: &mut Writer) {
        let t = self.tagset.len();
        w.u8(self.lang.id());
        w.u8(match self.scheme {
            LabelScheme::Native => 0,
            LabelScheme::Common => 1,
        });
        w.u32(self.bits);
        w.f32(self.temperature);
        w.str(&self.meta);
        w.u32(self.tagset.types().len() as u32);
        for ty in self.tagset.types() {
            w.str(ty);
        }
        w.u32(self.trans.len() as u32);
        for &x in &self.trans {
            w.f32(x);
        }
        let g = &self.res.gazetteer;
        w.u32(g.max_len as u32);
        let mut gz: Vec<(u64, u8)> = g.entries.iter().map(|(&k, &v)| (k, v)).collect();
        gz.sort_unstable();
        w.u32(gz.len() as u32);
        for (k, v) in gz {
            w.u64(k);
            w.u8(v);
        }
        let mut cl: Vec<(u64, [u16; 4])> =
            self.res.clusters.iter().map(|(&k, &v)| (k, v)).collect();
        cl.sort_unstable();
        w.u32(cl.len() as u32);
        for (k, v) in cl {
            w.u64(k);
            for x in v {
                w.u16(x);
            }
        }
        let lx = &self.res.lexicon;
        w.u32(lx.max_len as u32);
        let mut le: Vec<(u64, u16)> = lx.entries.iter().map(|(&k, &v)| (k, v)).collect();
        le.sort_unstable();
        w.u32(le.len() as u32);
        for (k, v) in le {
            w.u64(k);
            w.u16(v);
        }
        // weights: already quantised to i16 with one scale
        let rows: Vec<(u32, u32)> = self
            .index
            .iter()
            .enumerate()
            .filter(|(_, &slot)| slot != NONE)
            .map(|(r, &slot)| (r as u32, slot))
            .collect();
        w.f32(self.scale);
        w.u32(rows.len() as u32);
        let mut prev = 0u32;
        for &(r, _) in &rows {
            w.u32(r - prev);
            prev = r;
        }
        // column-major by tag so that runs of zeros compress well
        for y in 0..t {
            for &(_, slot) in &rows {
                w.i16(self.weights[slot as usize * t + y]);
            }
        }
        match &self.stage1 {
            Some((m1, window)) => {
                w.u8(1);
                w.u32(*window as u32);
                m1.write_body(w);
            }
            None => w.u8(0),
        }
    }

    /// Reads a model written by [`Model::save`]. Returns [`NerError::Io`] when the file cannot be
    /// read and [`NerError::BadModel`] when it is not a model or is corrupt.
    pub fn load(path: &Path) -> Result<Self> {
        let raw = std::fs::read(path).map_err(|e| NerError::io(path, e))?;
        let mut buf = Vec::new();
        ZlibDecoder::new(&raw[..])
            .read_to_end(&mut buf)
            .map_err(|e| NerError::BadModel {
                path: path.to_path_buf(),
                msg: format!("cannot decompress: {e}"),
            })?;
        let mut r = Reader::new(&buf, path);
        let magic = r.bytes(MAGIC.len())?;
        let version = magic[MAGIC.len() - 1];
        if magic[..MAGIC.len() - 1] != MAGIC[..MAGIC.len() - 1] || !(2..=4).contains(&version) {
            return Err(r.err("bad magic"));
        }
        let model = Self::read_body(&mut r, version, true)?;
        if !r.at_end() {
            return Err(r.err("trailing bytes"));
        }
        Ok(model)
    }

    fn read_body(r: &mut Reader, version: u8, outer: bool) -> Result<Self> {
        let lang = Lang::from_id(r.u8()?).ok_or_else(|| r.err("unknown language id"))?;
        let scheme = match r.u8()? {
            0 => LabelScheme::Native,
            1 => LabelScheme::Common,
            _ => return Err(r.err("unknown label scheme")),
        };
        let bits = r.u32()?;
        if !(8..=26).contains(&bits) {
            return Err(r.err(format!("hash bits {bits} out of range")));
        }
        let temperature = r.f32()?;
        let meta = r.str()?;
        let ntypes = r.count(4)?;
        let mut types = Vec::with_capacity(ntypes);
        for _ in 0..ntypes {
            types.push(r.str()?);
        }
        let tagset = TagSet::new(types);
        let t = tagset.len();
        let ntrans = r.count(4)?;
        if ntrans != (t + 1) * (t + 1) {
            return Err(r.err("transition matrix does not match the tag set"));
        }
        let mut trans = Vec::with_capacity(ntrans);
        for _ in 0..ntrans {
            trans.push(r.f32()?);
        }
        let mut gazetteer = Gazetteer {
            max_len: r.u32()? as usize,
            ..Gazetteer::default()
        };
        let ng = r.count(9)?;
        gazetteer.entries.reserve(ng);
        for _ in 0..ng {
            let k = r.u64()?;
            let v = r.u8()?;
            gazetteer.entries.insert(k, v);
        }
        let nc = r.count(16)?;
        let mut clusters = Clusters::default();
        clusters.reserve(nc);
        for _ in 0..nc {
            let k = r.u64()?;
            let v = [r.u16()?, r.u16()?, r.u16()?, r.u16()?];
            clusters.insert(k, v);
        }
        let mut lexicon = Lexicon {
            max_len: if version >= 3 { r.u32()? as usize } else { 0 },
            ..Lexicon::default()
        };
        let nl = if version >= 3 { r.count(10)? } else { 0 };
        lexicon.entries.reserve(nl);
        for _ in 0..nl {
            let k = r.u64()?;
            let v = r.u16()?;
            lexicon.entries.insert(k, v);
        }
        let scale = r.f32()?;
        let nrows = r.count(4)?;
        let mut index = vec![NONE; 1usize << bits];
        let mut row = 0u32;
        // Bulk reads: the row deltas, then one column of weights per tag (stored tag-major),
        // interleaved into the row-major table in one sequential pass.
        let deltas = r.bytes(
            nrows
                .checked_mul(4)
                .ok_or_else(|| r.err("row count overflow"))?,
        )?;
        for (slot, d) in deltas.chunks_exact(4).enumerate() {
            row = row
                .checked_add(u32::from_le_bytes([d[0], d[1], d[2], d[3]]))
                .filter(|&x| (x as usize) < index.len())
                .ok_or_else(|| r.err("weight row out of range"))?;
            index[row as usize] = slot as u32;
        }
        let column_bytes = nrows
            .checked_mul(2)
            .ok_or_else(|| r.err("row count overflow"))?;
        let columns = (0..t)
            .map(|_| r.bytes(column_bytes))
            .collect::<Result<Vec<&[u8]>>>()?;
        let mut weights = vec![0i16; nrows * t];
        for (slot, out) in weights.chunks_exact_mut(t.max(1)).enumerate() {
            for (w, col) in out.iter_mut().zip(&columns) {
                *w = i16::from_le_bytes([col[2 * slot], col[2 * slot + 1]]);
            }
        }
        let stage1 = if version >= 4 && r.u8()? == 1 {
            if !outer {
                return Err(r.err("nested first-stage model"));
            }
            let window = r.u32()? as usize;
            let m1 = Self::read_body(r, version, false)?;
            if m1.lang != lang {
                return Err(r.err("bad first-stage model"));
            }
            Some((Box::new(m1), window))
        } else {
            None
        };
        let mask = bio_mask(t);
        Ok(Self {
            lang,
            exp_trans: exp_transitions(&trans, &mask, temperature),
            mask,
            tagset,
            scheme,
            bits,
            temperature,
            res: Resources {
                gazetteer,
                clusters,
                lexicon,
            },
            trans,
            index,
            weights,
            scale,
            meta,
            stage1,
        })
    }
}

/// Entities of a BILOU tag path, scored by the minimum of `prob(i, y)` over the entity's tokens.
/// An entity starts at `B` or `U` (or, defensively, at an `I`/`L` that does not continue one) and
/// ends at `L`, `U` or before anything that does not continue it.
pub(crate) fn entities_of_path(
    path: &[usize],
    tagset: &TagSet,
    prob: impl Fn(usize, usize) -> f32,
) -> Vec<TokenEntity> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < path.len() {
        let Some(ty) = tag_type(path[i]) else {
            i += 1;
            continue;
        };
        let start = i;
        let mut score = prob(i, path[i]);
        let single = matches!(tag_part(path[i]), Part::U | Part::L);
        i += 1;
        if !single {
            while i < path.len()
                && tag_type(path[i]) == Some(ty)
                && matches!(tag_part(path[i]), Part::I | Part::L)
            {
                score = score.min(prob(i, path[i]));
                i += 1;
                if tag_part(path[i - 1]) == Part::L {
                    break;
                }
            }
        }
        out.push(TokenEntity {
            start,
            end: i,
            ty: tagset.types().get(ty).cloned().unwrap_or_default(),
            score: score.clamp(0.0, 1.0),
        });
    }
    out
}
